#!/usr/bin/env bash
# package_install: the Debian package, built from this build and installed
# into a scratch root with dpkg --root, its maintainer scripts run for that
# root (DPKG_ROOT). Checks, in order:
#   1. scripts/build-package builds it, twice to the same bytes;
#   2. its files, modes, owners, conffiles, version and Depends (every shared
#      library the binary needs is provided by a package it depends on, or
#      by a dependency of one);
#   3. lintian reports no error (its whole output is printed);
#   4. dpkg installs it (twice: the postinst runs again and changes nothing,
#      a local edit of the conffile stays): the workbind account, its
#      /var/lib/workbind (0750), the unit enabled;
#   5. systemd-analyze verify finds nothing wrong with the installed unit,
#      and its offline security exposure stays at most 2.0;
#   6. the installed binary, run as the workbind account in the scratch root
#      (a private mount namespace and chroot) with the installed settings
#      file, only --listen and --data-dir overridden: /healthz, the console's
#      index.html served from the installed web root, sign-in of a user of
#      the installed demo provisioning file, exit 0 on SIGTERM;
#   7. dpkg -r keeps the settings and the data, dpkg -P removes both.
# Needs root (dpkg --root chowns, mount namespaces, chroot): CI and
# `make test` run as root; otherwise the test is skipped (exit 77).
# Usage: package_install.sh SOURCE_DIR BUILD_DIR WORK_DIR
set -euo pipefail
src="$1" build="$2" work="$3"

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: package_install needs root (dpkg --root, mount namespace, chroot)"
  exit 77
fi
for tool in dpkg-deb dpkg-shlibdeps lintian systemd-analyze systemd-sysusers unshare chroot curl readelf; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (scripts/install-deps)"; exit 1; }
done

fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }
step() { echo; echo "== $* (at ${SECONDS}s)"; }

server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" || true; fi
}
trap cleanup EXIT

rm -rf "$work"
mkdir -p "$work"

step "1. build"
deb="$("$src/scripts/build-package" "$build" "$work/out" | tail -1)"
deb2="$("$src/scripts/build-package" "$build" "$work/out2" | tail -1)"
echo "$deb"
cmp "$deb" "$deb2" || fail "two builds of the package differ"
ok "two builds are identical ($(sha256sum <"$deb" | cut -c1-16)...)"

step "2. contents"
version="$("$build/workbind" --version)-1"
arch="$(dpkg --print-architecture)"
[ "$(basename "$deb")" = "workbind_${version}_${arch}.deb" ] || fail "file name $(basename "$deb")"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version $(dpkg-deb -f "$deb" Version)"
[ "$(dpkg-deb -f "$deb" Architecture)" = "$arch" ] || fail "Architecture"
listing="$(dpkg-deb -c "$deb")"
echo "$listing"
# expect MODE PATH: the entry is in the package, owned by root, with MODE.
expect() {
  local line
  line="$(awk -v p="./$2" '$6 == p' <<<"$listing")"
  [ -n "$line" ] || fail "$2 is not in the package"
  [ "$(awk '{print $1 " " $2}' <<<"$line")" = "$1 root/root" ] ||
    fail "$2: $(awk '{print $1 " " $2}' <<<"$line"), expected $1 root/root"
}
expect -rwxr-xr-x usr/bin/workbind
expect -rw-r--r-- etc/workbind/settings.json
expect -rw-r--r-- lib/systemd/system/workbind.service
expect -rw-r--r-- usr/lib/sysusers.d/workbind.conf
expect -rw-r--r-- usr/share/workbind/web/index.html
expect -rw-r--r-- usr/share/workbind/examples/demo-provisioning.json
expect -rw-r--r-- usr/share/doc/workbind/copyright
expect -rw-r--r-- usr/share/doc/workbind/changelog.Debian.gz
expect -rw-r--r-- usr/share/man/man1/workbind.1.gz
[ "$(awk '{print $2}' <<<"$listing" | sort -u)" = "root/root" ] || fail "an entry not owned by root/root"
while IFS= read -r f; do expect -rw-r--r-- "usr/share/workbind/web/$f"; done \
  < <(cd "$build/web/dist" && find . -type f -printf '%P\n')
[ "$(dpkg-deb -I "$deb" conffiles)" = "/etc/workbind/settings.json" ] || fail "conffiles: $(dpkg-deb -I "$deb" conffiles)"
ok "files, modes, owners, conffiles"

mkdir -p "$work/x"
dpkg-deb -x "$deb" "$work/x"
readelf -S "$work/x/usr/bin/workbind" | grep -q '\.symtab' && fail "usr/bin/workbind is not stripped"
ok "usr/bin/workbind is stripped"

depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
grep -q 'systemd | systemd-standalone-sysusers | systemd-sysusers' <<<"$depends" || fail "no sysusers provider in Depends"
# The packages named in Depends, and those they depend on.
direct="$(tr ',|' '\n\n' <<<"$depends" | sed 's/(.*//; s/ //g' | grep -v '^$' | sort -u)"
closure="$direct"
for p in $direct; do
  more="$(dpkg-query -W -f='${Depends}, ${Pre-Depends}' "$p" 2>/dev/null || true)"
  closure+=$'\n'"$(tr ',|' '\n\n' <<<"$more" | sed 's/(.*//; s/:any//; s/ //g' | grep -v '^$' || true)"
done
# The package of each library the binary names (NEEDED), as the dynamic
# linker resolves it on this machine (dpkg knows /lib and /usr/lib paths
# apart: compare real paths).
for soname in $(readelf -d "$work/x/usr/bin/workbind" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  resolved="$(ldd "$work/x/usr/bin/workbind" | awk -v n="$soname" '$1 == n && $3 ~ /^\// { print $3 }')"
  [ -n "$resolved" ] || fail "$soname does not resolve on this machine"
  resolved="$(realpath "$resolved")"
  owner=""
  while IFS= read -r hit; do
    pkg="${hit%%: *}" path="${hit#*: }"
    if [ "$(realpath "$path" 2>/dev/null)" = "$resolved" ]; then owner="${pkg%%:*}"; fi
  done < <(dpkg -S "*/$soname" 2>/dev/null || true)
  [ -n "$owner" ] || fail "no installed package provides $resolved"
  # The package, or a virtual package it provides (libspdlog1.10 provides
  # libspdlog1.10-fmt9, the name its shlibs file gives).
  names="$owner"$'\n'"$(dpkg-query -W -f='${Provides}' "$owner" | tr ',' '\n' | sed 's/(.*//; s/ //g')"
  if grep -qxF -f <(grep -v '^$' <<<"$names") <<<"$direct"; then echo "  $soname: $owner (Depends)"
  elif grep -qxF -f <(grep -v '^$' <<<"$names") <<<"$closure"; then echo "  $soname: $owner (through a dependency)"
  else fail "$soname comes from $owner, which Depends does not bring"; fi
done
ok "every NEEDED library is brought by Depends"

step "3. lintian"
lintian_out="$(lintian -I --tag-display-limit 0 "$deb" 2>&1 || true)"
echo "$lintian_out"
if grep -q '^E:' <<<"$lintian_out"; then fail "lintian reports errors"; fi
ok "lintian: no error"

step "4. install into a scratch root"
root="$work/root"
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/var/lib/dpkg/{info,updates,triggers} "$root"/var/log "$root"/etc
for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done  # merged /usr, as Debian 12
touch "$root"/var/lib/dpkg/{status,available}
# The scratch root has none of the dependencies (the binary runs on this
# machine's libraries, step 6): dpkg's list of them is left out.
dpkg_root() {
  dpkg --root="$root" --force-script-chrootless --force-depends --log=/dev/null "$@" </dev/null 2>&1 |
    grep -v -e '^ workbind depends on ' -e '^  Package .* is not installed' -e 'dependency problems, but'
}
dpkg_root -i "$deb"
entry="$(grep '^workbind:' "$root/etc/passwd")" || fail "no workbind account in the root's passwd"
IFS=: read -r _ _ uid gid _ home shell <<<"$entry"
grep -q "^workbind:x:$gid:" "$root/etc/group" || fail "no workbind group"
[ "$home" = /var/lib/workbind ] && [ "$shell" = /usr/sbin/nologin ] || fail "account: $entry"
[ "$uid" -lt 1000 ] || fail "workbind is not a system account: uid $uid"
[ "$(stat -c '%a %u:%g' "$root/var/lib/workbind")" = "750 $uid:$gid" ] ||
  fail "/var/lib/workbind: $(stat -c '%a %u:%g' "$root/var/lib/workbind")"
[ -L "$root/etc/systemd/system/multi-user.target.wants/workbind.service" ] || fail "the unit is not enabled"
sum="$(md5sum <"$root/etc/workbind/settings.json" | cut -d' ' -f1)"
grep -q "^ /etc/workbind/settings.json $sum\$" "$root/var/lib/dpkg/status" || fail "dpkg did not record the conffile"
ok "account $entry; /var/lib/workbind 0750 $uid:$gid; unit enabled; conffile recorded"

echo '// a local edit' >>"$root/etc/workbind/settings.json"
cp "$root/etc/passwd" "$work/passwd.before"
dpkg_root -i "$deb"
cmp "$root/etc/passwd" "$work/passwd.before" || fail "installing again changed the accounts"
[ "$(stat -c '%a %u:%g' "$root/var/lib/workbind")" = "750 $uid:$gid" ] || fail "installing again changed /var/lib/workbind"
tail -1 "$root/etc/workbind/settings.json" | grep -q 'a local edit' || fail "installing again lost the local edit of settings.json"
ok "installed again: accounts, state directory and the edited settings unchanged"

step "5. systemd-analyze"
# The installed system's own units (targets...) and /bin/kill (ExecReload),
# taken from this machine, as a Debian 12 system has them.
cp -rn /usr/lib/systemd/system/. "$root/usr/lib/systemd/system/"
cp "$(type -P kill)" "$root/usr/bin/kill"
echo "\$ systemd-analyze verify --root=$root workbind.service"
verify_rc=0
verify_out="$(MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" workbind.service 2>&1)" || verify_rc=$?
echo "$verify_out"
echo "(exit status $verify_rc)"
[ "$verify_rc" -eq 0 ] && [ -z "$verify_out" ] || fail "systemd-analyze verify"
security="$(systemd-analyze security --offline=yes --root="$root" workbind.service 2>&1 || true)"
echo "$security" | tail -3
exposure="$(sed -n 's/.*Overall exposure level for workbind.service: \([0-9.]*\).*/\1/p' <<<"$security")"
[ -n "$exposure" ] || fail "no exposure level from systemd-analyze security"
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "exposure $exposure is above 2.0"
ok "verify: no output; security exposure $exposure"

step "6. run the installed binary"
# The scratch root gets this machine's libraries, /dev and /proc, bind-mounted
# in a private mount namespace (gone with the process); the binary then sees
# the installed paths (/etc/workbind, /usr/share/workbind) as on a real system.
mkdir -p "$root"/usr/lib/x86_64-linux-gnu "$root"/dev "$root"/proc "$root"/tmp/data
multiarch="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)"
mkdir -p "$root/usr/lib/$multiarch"
chown "$uid:$gid" "$root/tmp/data"
mkfifo "$work/server.out"
unshare --mount sh -c '
  set -e
  root=$1 multiarch=$2 uid=$3 gid=$4
  mount --bind "/usr/lib/$multiarch" "$root/usr/lib/$multiarch"
  if [ -d /usr/lib64 ]; then mount --bind /usr/lib64 "$root/usr/lib64"; fi
  mount --bind /dev "$root/dev"
  mount --bind /proc "$root/proc"
  exec chroot --userspec="$uid:$gid" "$root" /usr/bin/workbind \
    --config /etc/workbind/settings.json --listen 127.0.0.1:0 --data-dir /tmp/data \
    --provision /usr/share/workbind/examples/demo-provisioning.json
' sh "$root" "$multiarch" "$uid" "$gid" >"$work/server.out" 2>&1 &
server_pid=$!
exec 3<"$work/server.out"
port=""
while IFS= read -r -t 60 -u 3 line; do
  echo "server: $line"
  if [[ "$line" =~ listening\ on\ .*\(port\ ([0-9]+)\) ]]; then port="${BASH_REMATCH[1]}"; break; fi
done
[ -n "$port" ] || fail "the installed binary did not listen within 60 s"
cat <&3 | sed 's/^/server: /' &
base="http://127.0.0.1:$port"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")" = 200 ] || fail "/healthz"
ok "/healthz 200"
curl -sf "$base/" -o "$work/index.html" || fail "GET /"
cmp "$work/index.html" "$root/usr/share/workbind/web/index.html" || fail "/ is not the installed index.html"
asset="$(grep -o '/assets/[^"]*\.js' "$work/index.html" | head -1)"
curl -sf "$base$asset" | cmp - "$root/usr/share/workbind/web$asset" || fail "$asset is not the installed file"
ok "/ and $asset served from /usr/share/workbind/web"
me="$(curl -s -c "$work/cookies" -u alice:alice-demo-pw "$base/api/v2/me")"
grep -q '"statusCode":0' <<<"$me" && grep -q '"userName":"alice"' <<<"$me" || fail "sign-in as alice: $me"
grep -q JSESSIONID "$work/cookies" || fail "no JSESSIONID cookie"
me="$(curl -s -b "$work/cookies" "$base/api/v2/me")"
grep -q '"userName":"alice"' <<<"$me" || fail "the session cookie does not sign in: $me"
ok "alice signs in (Basic, then JSESSIONID)"
[ "$(stat -c %u "$root/tmp/data/workbind.db")" = "$uid" ] || fail "the database is not the workbind account's"
ok "database written by the workbind account"
kill -TERM "$server_pid"
# Waits for the exit (at most 30 s), then collects its status.
timeout 30 tail --pid="$server_pid" -s 0.1 -f /dev/null || fail "no exit within 30 s of SIGTERM"
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" -eq 0 ] || fail "exit status $status after SIGTERM"
ok "exit 0 after SIGTERM"

step "7. remove and purge"
dpkg_root -r workbind
[ ! -e "$root/usr/bin/workbind" ] || fail "remove left the binary"
[ -f "$root/etc/workbind/settings.json" ] || fail "remove deleted the settings"
[ -d "$root/var/lib/workbind" ] || fail "remove deleted the data"
ok "remove: binary gone, settings and data kept"
dpkg_root -P workbind
[ ! -e "$root/etc/workbind" ] || fail "purge left /etc/workbind"
[ ! -e "$root/var/lib/workbind" ] || fail "purge left /var/lib/workbind"
[ ! -e "$root/etc/systemd/system/multi-user.target.wants/workbind.service" ] || fail "purge left the unit enabled"
grep -q '^workbind:' "$root/etc/passwd" || fail "purge removed the account"
ok "purge: settings, data and enablement gone, account kept"

rm -rf "$work"
echo
echo "package_install: all checks passed"
