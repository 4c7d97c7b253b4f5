def _todo(request, *args, **kwargs):
    raise NotImplementedError


budget_index = budget_detail = budget_edit = medlemsavgifter_edit = _todo
