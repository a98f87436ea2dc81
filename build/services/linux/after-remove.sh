#!/bin/bash
# postrm of the Linekeeper deb. On removal the services and commands go and the data in /var/lib/linekeeper stays;
# only "apt purge" removes it. An upgrade ($1 = upgrade) keeps everything for the new version's postinst.
case "$1" in
  upgrade|failed-upgrade|abort-install|abort-upgrade|disappear) exit 0 ;;
esac

if [ -d /run/systemd/system ]; then
  systemctl disable --now linekeeper-mux.service linekeeper-uacsta.service >/dev/null 2>&1 || true
fi
rm -f /usr/lib/systemd/system/linekeeper-mux.service /usr/lib/systemd/system/linekeeper-uacsta.service /usr/share/polkit-1/rules.d/50-linekeeper.rules
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi

rm -f '/usr/bin/${executable}' /usr/bin/linekeeper
if [ -f '/etc/apparmor.d/${executable}' ]; then
  if apparmor_status --enabled >/dev/null 2>&1 && hash apparmor_parser 2>/dev/null; then
    apparmor_parser --remove '/etc/apparmor.d/${executable}' || true
  fi
  rm -f '/etc/apparmor.d/${executable}'
fi

if [ "$1" = purge ]; then
  rm -rf /var/lib/linekeeper
  getent passwd linekeeper >/dev/null && userdel linekeeper || true
  getent group linekeeper >/dev/null && groupdel linekeeper || true
fi
exit 0
