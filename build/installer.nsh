; Included by electron-builder's NSIS script (nsis.include). Registers the services and the `linekeeper`
; command after the files are in place, and removes them on uninstall; an update (the old uninstaller run by
; the new installer) only stops the services so their files can be replaced. Uninstalling keeps the data unless
; the admin answers Yes to the question below (see docs/release.md).

; An update stops the services while files are replaced (the old version's customUnInstall, run by the install
; section before customInstall): which ones ran is read here in .onInit, so customInstall starts them again (the
; leading comma keeps -Start from being empty, which Windows PowerShell would take as a missing argument).
!macro customInit
  Var /GLOBAL lkRunning
  nsExec::ExecToStack `powershell.exe -NoProfile -Command "[Console]::Write((Get-Service -Name linekeeper-mux,linekeeper-uacsta -ErrorAction SilentlyContinue | Where-Object Status -eq Running | Select-Object -ExpandProperty Name) -join ',')"`
  Pop $0
  Pop $lkRunning
  ${if} $0 != 0
    StrCpy $lkRunning ""
  ${endIf}
!macroend

!macro customInstall
  DetailPrint "Registering the Linekeeper services"
  nsExec::ExecToLog 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File "$INSTDIR\resources\services\windows\install-services.ps1" -InstallDir "$INSTDIR" -Start ",$lkRunning"'
  Pop $0
  ${if} $0 != 0
    MessageBox MB_ICONEXCLAMATION|MB_OK "The Linekeeper services could not be registered (exit code $0). The console works; see docs/release.md to register them by hand."
  ${endIf}
!macroend

; The uninstaller asks whether the data goes too; No is the default, and a silent uninstall (/S) answers No.
LangString lkRemoveDataQuestion 1033 "Also delete Linekeeper's settings, lines, passwords and logs?$\r$\n$\r$\nThey are in %ProgramData%\Linekeeper and in your own %APPDATA%\Linekeeper. Choose No to keep them for a later installation; other users' folders are always kept."
LangString lkRemoveDataQuestion 1031 "Auch die Einstellungen, Leitungen, Passwörter und Protokolle von Linekeeper löschen?$\r$\n$\r$\nSie liegen in %ProgramData%\Linekeeper und in Ihrem eigenen %APPDATA%\Linekeeper. Wählen Sie Nein, um sie für eine spätere Installation zu behalten; die Ordner anderer Benutzer bleiben immer erhalten."

!macro customUnInstall
  ${ifNot} ${isUpdated}
    StrCpy $R8 ""
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(lkRemoveDataQuestion)" /SD IDNO IDNO +2
    StrCpy $R8 "-RemoveData"
    nsExec::ExecToLog 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File "$INSTDIR\resources\services\windows\uninstall-services.ps1" -InstallDir "$INSTDIR" $R8'
    Pop $0
    ${if} $R8 == "-RemoveData"
      ReadEnvStr $R7 APPDATA
      RMDir /r "$R7\Linekeeper"
    ${endIf}
  ${else}
    nsExec::ExecToLog 'sc.exe stop linekeeper-mux'
    Pop $0
    nsExec::ExecToLog 'sc.exe stop linekeeper-uacsta'
    Pop $0
  ${endIf}
!macroend
