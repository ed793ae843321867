"""The addresses of /data/v1/ (opendata/data_urls.py): each download from its finished file,
or streamed while it is written (opendata/downloads.py).

Every response carries an ETag made of the files' key and the file's name, so a client that
has the current file gets a 304 without the file being read or written. Clients that accept
gzip get the file compressed (its gzip copy, written with it).
"""

from django.http import FileResponse, Http404, HttpResponseNotModified, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header, parse_etags
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from allas.cache import accepts_gzip
from opendata.downloads import (
    DOWNLOADS,
    files_key,
    gzip_name,
    open_finished,
    write_file,
    write_while_streaming,
)

# The files change with every edit: browsers and proxies check again after a few minutes.
MAX_AGE = 300
# An address that names the files' key (``?v=``, the home page's map) always gives the same
# bytes: kept for a year.
VERSIONED_MAX_AGE = 365 * 24 * 3600


def partners_geojson_url():
    """The map's data at an address that changes with the files (one cache read)."""
    return f"{reverse('data:partners-geojson')}?v={files_key()}"


def etag(key, name, *, compressed=False):
    return f'"{key}-{gzip_name(name) if compressed else name}"'


def is_not_modified(request, key, name):
    current = {etag(key, name), etag(key, name, compressed=True)}
    sent = parse_etags(request.headers.get("If-None-Match", ""))
    return any(tag == "*" or tag.removeprefix("W/") in current for tag in sent)


def file_response(key, download, *, compressed):
    file = open_finished(key, download.name, compressed=compressed)
    if file is None:
        return None
    response = FileResponse(
        file,
        content_type=download.content_type,
        as_attachment=download.attachment,
        filename=download.name,
    )
    if compressed:
        response["Content-Encoding"] = "gzip"
    response["ETag"] = etag(key, download.name, compressed=compressed)
    return response


def finished_response(key, download, *, compressed):
    if compressed:
        response = file_response(key, download, compressed=True)
        if response is not None:
            return response
    return file_response(key, download, compressed=False)


def streamed_response(key, download, *, compressed):
    response = StreamingHttpResponse(
        write_while_streaming(key, download, compressed=compressed),
        content_type=download.content_type,
    )
    if compressed:
        response["Content-Encoding"] = "gzip"
    response["Content-Disposition"] = content_disposition_header(download.attachment, download.name)
    response["ETag"] = etag(key, download.name, compressed=compressed)
    return response


def serve(request, download):
    key = files_key()
    compressed = accepts_gzip(request.headers.get("Accept-Encoding", ""))
    if is_not_modified(request, key, download.name):
        response = HttpResponseNotModified()
        response["ETag"] = etag(key, download.name, compressed=compressed)
    else:
        response = finished_response(key, download, compressed=compressed)
        if response is None and request.method == "HEAD":
            # A HEAD gives the length: the file is written first.
            write_file(key, download)
            response = finished_response(key, download, compressed=compressed)
        if response is None:
            response = streamed_response(key, download, compressed=compressed)
    if request.GET.get("v") == key:
        response["Cache-Control"] = f"public, max-age={VERSIONED_MAX_AGE}, immutable"
    else:
        response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


# Read-only: without the exemption a POST would get the CSRF check's 403 instead of a 405.
@csrf_exempt
@require_safe
def table_csv(request, table):
    download = DOWNLOADS.get(f"{table}.csv")
    if download is None:
        raise Http404
    return serve(request, download)


@csrf_exempt
@require_safe
def download(request, name):
    return serve(request, DOWNLOADS[name])
