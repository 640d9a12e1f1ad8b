#!/usr/bin/env bash
# .ci/image.sh: prove the Dockerfile works without pulling anything from a
# registry. As root:
#
#   1. install buildah (Debian package) and busybox-static if missing;
#   2. assemble the builder base image the Dockerfile's first FROM names from
#      this machine's Go toolchain (/usr/local/go), busybox and the CA bundle,
#      and tag it with exactly that name;
#   3. build the real Dockerfile with buildah, the host's Go module cache
#      mounted into the build and GOPROXY=off, so the build needs no network;
#   4. check the image: non-root user, ENTRYPOINT /planbot, CA bundle present,
#      no shell; then run its /planbot, as the image's user inside the image's
#      own filesystem, to answer a question.
#
# Usage: .ci/image.sh [CONTEXT_DIR]   (default: the repository root)
# Storage is a throwaway directory (vfs driver, chroot isolation: both work
# inside an unprivileged CI container); it is removed on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
context=${1:-.}
start=$SECONDS
export PATH="$PATH:/usr/local/go/bin"
export DEBIAN_FRONTEND=noninteractive

say() { printf '.ci/image.sh: %s\n' "$*" >&2; }
die() { say "FAIL: $*"; exit 1; }

[[ $(id -u) == 0 ]] || die "run as root (buildah needs it here)"
command -v go >/dev/null || die "no Go toolchain in /usr/local/go/bin"

# 1. Tools. apt-get update only when the package lists are too old to install.
missing=()
command -v buildah >/dev/null || missing+=(buildah)
[[ -x /bin/busybox ]] || missing+=(busybox-static)
if ((${#missing[@]})); then
	say "installing ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
buildah --version >&2

work=$(mktemp -d /var/tmp/planbot-image.XXXXXX)
B=(buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs)
cleanup() {
	"${B[@]}" rm --all >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

# 2. The builder base image, under the name the Dockerfile uses.
base=$(awk 'toupper($1) == "FROM" { print $2; exit }' "$context/Dockerfile")
[[ -n $base && $base != scratch ]] || die "no builder image in the Dockerfile's first FROM"
goroot=$(go env GOROOT)
say "assembling $base from $goroot ($(go version | awk '{print $3}')), busybox and the CA bundle"
ctr=$("${B[@]}" from scratch)
root=$("${B[@]}" mount "$ctr")
mkdir -p "$root"/{bin,usr/local,etc/ssl/certs,tmp,root,go/pkg/mod,go/bin}
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[[ -e $root/bin/$applet ]] || ln -s busybox "$root/bin/$applet"
done
cp -a "$goroot" "$root/usr/local/go"
rm -rf "$root/usr/local/go/test" # the toolchain's own test suite: 20 MB nobody builds here
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
"${B[@]}" umount "$ctr" >/dev/null
"${B[@]}" config \
	--env PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	--env GOPATH=/go --env GOTOOLCHAIN=local --env HOME=/root \
	--workingdir /go "$ctr"
"${B[@]}" commit --quiet "$ctr" "$base" >/dev/null
"${B[@]}" rm "$ctr" >/dev/null
say "base image ready after $((SECONDS - start))s"

# 3. Build the real Dockerfile. The modules come from the host's cache, filled
# here through the Go proxy if this machine has not downloaded them yet; inside
# the build GOPROXY=off, so nothing reaches the network.
modcache=$(go env GOMODCACHE)
gocache=$(go env GOCACHE)
mkdir -p "$modcache" "$gocache"
(cd "$context" && go mod download)
image=localhost/planbot:ci
"${B[@]}" bud --quiet --isolation chroot --pull-never --layers=false \
	--volume "$modcache:/go/pkg/mod" \
	--volume "$gocache:/root/.cache/go-build" \
	--build-arg GOPROXY=off \
	--build-arg VERSION=ci \
	-f "$context/Dockerfile" -t "$image" "$context" >/dev/null
say "image built after $((SECONDS - start))s"

# 4. Check the image's configuration and contents.
user=$("${B[@]}" inspect --type image --format '{{.OCIv1.Config.User}}' "$image")
entrypoint=$("${B[@]}" inspect --type image --format '{{.OCIv1.Config.Entrypoint}}' "$image")
[[ -n $user && ${user%%:*} != 0 && ${user%%:*} != root ]] || die "image runs as '$user'; want a non-root USER"
[[ $entrypoint == '[/planbot]' ]] || die "ENTRYPOINT is $entrypoint; want [\"/planbot\"]"

ctr=$("${B[@]}" from --pull-never "$image")
root=$("${B[@]}" mount "$ctr")
ca=$root/etc/ssl/certs/ca-certificates.crt
[[ -s $ca ]] && grep -q 'BEGIN CERTIFICATE' "$ca" || die "no CA bundle at /etc/ssl/certs/ca-certificates.crt"
[[ -x $root/planbot ]] || die "no /planbot in the image"
[[ ! -e $root/bin/sh ]] || die "the final image has a shell; want a minimal image"
grep -q "^[^:]*:[^:]*:${user%%:*}:" "$root/etc/passwd" || die "user $user is not in the image's /etc/passwd"
say "image: user $user, entrypoint $entrypoint, $(du -sh "$root" | cut -f1), CA bundle $(grep -c 'BEGIN CERTIFICATE' "$ca") certificates"

# Run the binary inside the image's own filesystem, as the image's user, with
# an empty environment: it has only what the image holds (a static binary
# with its embedded facts).
question="Who is Zhangjiajie paired with?"
chroot=$(command -v chroot) || die "no chroot command (coreutils)"
answer=$(env -i "$chroot" --userspec="$user" "$root" /planbot ask "$question" </dev/null) ||
	die "/planbot ask failed in the image: $answer"
printf '%s\n' "$answer" | sed 's/^/  | /' >&2
grep -q Nanjing <<<"$answer" || die "the answer to \"$question\" does not mention Nanjing"
version=$(env -i "$chroot" --userspec="$user" "$root" /planbot version </dev/null) || die "/planbot version failed: $version"
[[ $version == "planbot ci "* ]] || die "/planbot version = '$version'; want the VERSION build argument, ci"
"${B[@]}" umount "$ctr" >/dev/null

say "ok: the image builds, runs as $user, answers, and carries the CA bundle ($((SECONDS - start))s)"
