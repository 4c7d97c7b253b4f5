def _todo(request, *args, **kwargs):
    raise NotImplementedError


insats_list = insats_create = insats_detail = insats_edit = _todo
