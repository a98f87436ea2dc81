; Included by electron-builder's NSIS script (nsis.include). Registers the services and the `linekeeper`
; command after the files are in place, and removes them on uninstall; an update (the old uninstaller run by
; the new installer) only stops the services so their files can be replaced.
!macro customInstall
  DetailPrint "Registering the Linekeeper services"
  nsExec::ExecToLog 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File "$INSTDIR\resources\services\windows\install-services.ps1" -InstallDir "$INSTDIR"'
  Pop $0
  ${if} $0 != 0
    MessageBox MB_ICONEXCLAMATION|MB_OK "The Linekeeper services could not be registered (exit code $0). The console works; see docs/release.md to register them by hand."
  ${endIf}
!macroend

!macro customUnInstall
  ${ifNot} ${isUpdated}
    nsExec::ExecToLog 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File "$INSTDIR\resources\services\windows\uninstall-services.ps1" -InstallDir "$INSTDIR"'
    Pop $0
  ${else}
    nsExec::ExecToLog 'sc.exe stop linekeeper-mux'
    Pop $0
  ${endIf}
!macroend
