#!/bin/bash
# postinst of the Linekeeper deb (electron-builder fills in the executable and product folder). Besides what
# electron-builder's own script does for the console, it installs the `linekeeper` command, the linekeeper system
# account, the shared data directory and the systemd units of the multiplexer and the uaCSTA server.
app='/opt/${sanitizedProductName}'

ln -sf "$app/${executable}" '/usr/bin/${executable}'
ln -sf "$app/resources/bin/linekeeper" /usr/bin/linekeeper

# Chromium's sandbox helper needs the SUID bit only where user namespaces are unavailable.
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
  chmod 4755 "$app/chrome-sandbox" || true
else
  chmod 0755 "$app/chrome-sandbox" || true
fi
if hash update-mime-database 2>/dev/null; then update-mime-database /usr/share/mime || true; fi
if hash update-desktop-database 2>/dev/null; then update-desktop-database /usr/share/applications || true; fi
if apparmor_status --enabled >/dev/null 2>&1 && apparmor_parser --skip-kernel-load --debug "$app/resources/apparmor-profile" >/dev/null 2>&1; then
  cp -f "$app/resources/apparmor-profile" '/etc/apparmor.d/${executable}'
  if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
    apparmor_parser --replace --write-cache --skip-read-cache '/etc/apparmor.d/${executable}' || true
  fi
fi

# The services run as "linekeeper"; admins who use the console join the group to share its data directory.
getent group linekeeper >/dev/null || groupadd --system linekeeper
getent passwd linekeeper >/dev/null || useradd --system --gid linekeeper --home-dir /var/lib/linekeeper --no-create-home --shell /usr/sbin/nologin linekeeper
# setgid: files created inside keep the group, which marks the directory as shared (see docs/release.md).
install -d -m 2770 -o linekeeper -g linekeeper /var/lib/linekeeper
# The admin installing with sudo joins the group, so the console and a plain `linekeeper` work on the services'
# directory (settings, the one secret store); from their next login. Others: sudo usermod -aG linekeeper NAME.
if [ -n "$SUDO_USER" ] && [ "$SUDO_USER" != root ] && id "$SUDO_USER" >/dev/null 2>&1 && ! id -nG "$SUDO_USER" | tr ' ' '\n' | grep -qx linekeeper; then
  usermod -aG linekeeper "$SUDO_USER" && echo "Linekeeper: $SUDO_USER is now in the group linekeeper (from the next login), so the console and the linekeeper command share the services' settings and passwords."
fi

install -D -m 0644 "$app/resources/services/linux/linekeeper-mux.service" /usr/lib/systemd/system/linekeeper-mux.service
install -D -m 0644 "$app/resources/services/linux/linekeeper-uacsta.service" /usr/lib/systemd/system/linekeeper-uacsta.service
# Lets the group start and stop the services from the console (polkit has no prompt there).
if [ -d /usr/share/polkit-1 ]; then
  install -d -m 0755 /usr/share/polkit-1/rules.d
  install -m 0644 "$app/resources/services/linux/50-linekeeper.rules" /usr/share/polkit-1/rules.d/50-linekeeper.rules
fi
# Started at boot from the first install on (dpkg: "configure" without an old version; an update keeps what the
# admin chose). Until the console saves settings a start exits 78, which the units do not restart
# (RestartPreventExitStatus=78): the service stays stopped and the console says "not configured".
if [ "$1" = configure ] && [ -z "$2" ] && hash systemctl 2>/dev/null; then
  systemctl enable linekeeper-mux.service linekeeper-uacsta.service >/dev/null 2>&1 || true
fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
  # An update restarts running services on the new version; a first install starts them at the next boot.
  systemctl try-restart linekeeper-mux.service linekeeper-uacsta.service || true
fi
exit 0
