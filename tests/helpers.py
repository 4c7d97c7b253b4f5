def form_data(response, *names):
    """POST data as the page's forms and formsets hold it, ready to change and send."""
    data = {}
    for name in names:
        obj = response.context[name]
        forms = [obj.management_form, *obj.forms] if hasattr(obj, "management_form") else [obj]
        for form in forms:
            for field in form:
                value = field.value()
                if value is True:
                    data[field.html_name] = "on"
                elif value is not None and value is not False:
                    data[field.html_name] = value
    return data
