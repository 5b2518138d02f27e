"""/healthz: the smallest Django view, for load balancers and as the benchmark's baseline.

It touches neither the database nor the cache on purpose: a load balancer must keep sending
traffic to a server whose process is alive even while the database fails over, and the
benchmark needs the cost of Django's request cycle alone.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
