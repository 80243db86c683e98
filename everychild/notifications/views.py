from django.contrib import messages as flash
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from everychild.access.policy import Capability, requires

from . import services
from .models import Message, Status
from .selectors import messages_for_administrators


@requires(Capability.ADMINISTER)
def message_list(request):
    status = request.GET.get("status", "")
    recent, counts = messages_for_administrators(status=status)
    return render(
        request,
        "notifications/message_list.html",
        {
            "recent": recent,
            "counts": [(s, s.label, counts[s.value]) for s in Status],
            "status": status if status in Status.values else "",
            "resendable": {Status.FAILED, Status.UNCERTAIN},
        },
    )


@requires(Capability.ADMINISTER)
@require_POST
def send_again(request, message_id: int):
    message = get_object_or_404(Message, pk=message_id)
    try:
        services.send_again(message, actor=request.user, request=request)
    except ValueError as error:
        flash.error(request, str(error))
    else:
        flash.success(request, f"Message {message.pk} will be sent again.")
    return redirect("notifications:messages")
