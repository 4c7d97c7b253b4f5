def home(request, *args, **kwargs):
    raise NotImplementedError
