from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .forms import AgencyContactForm
from .navigation import work_for


@require_GET
def healthz(request):
    """Liveness for the load balancer; also the benchmark's minimal Django view."""
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html")
    context = selectors.home_summary(request.user)
    context["work_items"] = work_for(request.user)
    return render(request, "portal/home.html", context)


@login_required
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.notifications_for(request.user, unread_only=unread_only), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/notifications.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def notification_mark_read(request):
    ids = request.POST.getlist("id")
    try:
        ids = [int(i) for i in ids] if ids else None
    except ValueError:
        ids = []
    services.notification_mark_read(user=request.user, notification_ids=ids)
    if request.htmx:
        return render(request, "partials/bell.html", {"unread_notifications": selectors.unread_count(request.user)})
    return redirect("portal:notifications")


@login_required
def agency_list(request):
    page = Paginator(selectors.agencies_visible(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "portal/agency_list.html", {"page": page})


@login_required
def agency_detail(request, pk):
    agency = selectors.get_agency_for(request.user, pk)
    return render(
        request,
        "portal/agency_detail.html",
        {
            "agency": agency,
            "members": selectors.agency_members(agency),
            "can_edit": selectors.can_edit_agency(request.user, agency),
        },
    )


@login_required
def agency_edit(request, pk):
    agency = selectors.get_agency_for(request.user, pk, write=True)
    form = AgencyContactForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(agency_id=agency.pk, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The agency's details were saved."))
            return redirect("portal:agency_detail", pk=agency.pk)
    return render(request, "portal/agency_form.html", {"agency": agency, "form": form})
