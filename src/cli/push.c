// SPDX-License-Identifier: MIT
/*
 * --push URL: the final pprof profile POSTed the way Pyroscope's HTTP
 * /ingest takes one (format=pprof): a multipart form whose file field
 * "profile" holds the gzipped profile.proto, and the query parameters
 * name (the application name, Pyroscope's prefix), from and until (Unix
 * seconds) and format.  libcurl does the HTTP (and HTTPS).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>

#include "cli.h"

#define PUSH_TIMEOUT_S 30L

/* does the query part of url have "key=" */
static int has_param(const char *url, const char *key)
{
	const char *q = strchr(url, '?');
	size_t n = strlen(key);

	while (q) {
		q++;
		if (!strncmp(q, key, n) && q[n] == '=')
			return 1;
		q = strchr(q, '&');
	}
	return 0;
}

char *ilp_push_url(const char *url, uint64_t from_s, uint64_t until_s)
{
	const char *host = strstr(url, "://");
	const char *path = host && host[3] ? strpbrk(host + 3, "/?") : NULL;
	char *base = NULL, *out = NULL;
	size_t size;
	FILE *f;
	int r;

	if (!host || host == url || !host[3] || host[3] == '/' || host[3] == '?')
		return NULL;
	/* the server alone (no path, or "/"): its /ingest */
	if (!path)
		r = asprintf(&base, "%s/ingest", url);
	else if (*path == '?' || (path[1] == '\0' || path[1] == '?'))
		r = asprintf(&base, "%.*s/ingest%s", (int)(path - url), url,
			     *path == '?' ? path : path + 1);
	else
		r = asprintf(&base, "%s", url);
	if (r < 0)
		return NULL;
	f = open_memstream(&out, &size);
	if (f) {
		char sep = strchr(base, '?') ? '&' : '?';

		fputs(base, f);
		if (!has_param(base, "name"))
			fprintf(f, "%cname=iolockprof", sep), sep = '&';
		if (!has_param(base, "from"))
			fprintf(f, "%cfrom=%" PRIu64, sep, from_s), sep = '&';
		if (!has_param(base, "until"))
			fprintf(f, "%cuntil=%" PRIu64, sep, until_s), sep = '&';
		if (!has_param(base, "format"))
			fprintf(f, "%cformat=pprof", sep);
		if (fclose(f)) {
			free(out);
			out = NULL;
		}
	}
	free(base);
	return out;
}

int ilp_push_pprof(const char *url, const void *data, size_t len, uint64_t from_s,
		   uint64_t until_s)
{
	char *full = ilp_push_url(url, from_s, until_s), errbuf[CURL_ERROR_SIZE] = "";
	CURL *c = NULL;
	curl_mime *mime = NULL;
	curl_mimepart *part;
	long code = 0;
	CURLcode rc = CURLE_OUT_OF_MEMORY;
	int err = -ECANCELED;

	if (!full) {
		fprintf(stderr, "iolockprof: --push %s: not a URL (http://host:port[/path])\n",
			url);
		return -ECANCELED;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK && (c = curl_easy_init()) &&
	    (mime = curl_mime_init(c)) && (part = curl_mime_addpart(mime))) {
		curl_mime_name(part, "profile");
		curl_mime_filename(part, "profile.pb.gz");
		curl_mime_type(part, "application/octet-stream");
		curl_mime_data(part, data, len);
		curl_easy_setopt(c, CURLOPT_URL, full);
		curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, PUSH_TIMEOUT_S);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_USERAGENT, "iolockprof/" ILP_VERSION);
		rc = curl_easy_perform(c);
		if (rc == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	}
	if (rc != CURLE_OK)
		fprintf(stderr, "iolockprof: --push %s: %s\n", full,
			errbuf[0] ? errbuf : curl_easy_strerror(rc));
	else if (code < 200 || code > 299)
		fprintf(stderr, "iolockprof: --push %s: the server answered HTTP %ld\n", full,
			code);
	else
		err = 0;
	curl_mime_free(mime);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	free(full);
	return err;
}
