package discord

import (
	"net/http"
	"net/url"
	"strings"
)

// discordHost is where discordgo addresses every REST request: its endpoint
// variables are fixed when the package loads, so the API URL is changed here,
// below discordgo, instead.
const discordHost = "discord.com"

// rewriter sends requests for discord.com to another API base (a REST proxy
// or a test server) and everything else unchanged.
type rewriter struct {
	base *url.URL
	next http.RoundTripper
}

// rewrite returns next itself when base is Discord's own API.
func rewrite(base *url.URL, next http.RoundTripper) http.RoundTripper {
	if base.Scheme == "https" && base.Host == discordHost && strings.Trim(base.Path, "/") == "" {
		return next
	}
	return rewriter{base: base, next: next}
}

// RoundTrip implements http.RoundTripper.
func (rw rewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != discordHost {
		return rw.next.RoundTrip(r)
	}
	out := r.Clone(r.Context())
	u := *r.URL
	prefix := strings.TrimSuffix(rw.base.Path, "/")
	u.Scheme, u.Host = rw.base.Scheme, rw.base.Host
	u.Path = prefix + r.URL.Path
	if r.URL.RawPath != "" {
		u.RawPath = prefix + r.URL.RawPath
	}
	out.URL, out.Host = &u, rw.base.Host
	return rw.next.RoundTrip(out)
}
