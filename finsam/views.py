from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .models import Roll


@login_required
def start(request):
    """After login: straight into the user's förbund, or a choice between several."""
    roller = Roll.objects.filter(user=request.user).select_related("forbund")
    if len(roller) == 1:
        return redirect("home", roller[0].forbund.slug)
    return render(request, "finsam/start.html", {"roller": roller})


def _todo(request, *args, **kwargs):
    raise NotImplementedError


medlem_list = medlem_create = medlem_detail = medlem_edit = _todo
ledamot_list = ledamot_create = ledamot_edit = _todo
sammantrade_list = sammantrade_create = sammantrade_detail = sammantrade_edit = _todo
