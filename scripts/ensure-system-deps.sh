#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: Chromium (e2e), and asn1c with a C compiler
# and make (the CSTA cross-check compiles asn1c's decoder at test time), SIPp, sipsak, baresip and socat (real SIP
# peers; socat carries SIPp over TLS, which Debian's SIPp lacks; baresip is an independent phone for the uaCSTA
# server), xmllint (every CSTA XML document is validated against the XSD), GNOME Keyring with secret-tool and D-Bus
# (the secret store's key in a real Secret Service), makensis (the NSIS uninstaller include is compiled), and Mono's
# C# compiler and runtime (the Windows service host and DhcpClientApi.cs compile as C# 5; "Locate" through Windows'
# DHCP client API runs under Mono against a stand-in dhcpcsvc; mono-mcs brings System and System.Core).
set -euo pipefail
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v asn1c >/dev/null 2>&1 || missing+=(asn1c)
command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v sipp >/dev/null 2>&1 || missing+=(sip-tester)
command -v sipsak >/dev/null 2>&1 || missing+=(sipsak)
command -v baresip >/dev/null 2>&1 || missing+=(baresip-core)
command -v socat >/dev/null 2>&1 || missing+=(socat)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=(gnome-keyring)
command -v secret-tool >/dev/null 2>&1 || missing+=(libsecret-tools)
command -v dbus-run-session >/dev/null 2>&1 || missing+=(dbus)
command -v makensis >/dev/null 2>&1 || missing+=(nsis)
command -v mcs >/dev/null 2>&1 || missing+=(mono-mcs)
command -v mono >/dev/null 2>&1 || missing+=(mono-runtime)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need these Debian packages: ${missing[*]}. Install them (apt-get install ${missing[*]}) and run again." >&2
  exit 1
fi
echo "Installing ${missing[*]} from Debian…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
