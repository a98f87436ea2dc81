@echo off
rem The `linekeeper` command of an installed Linekeeper: the CLI bundle run by the Node runtime shipped beside it.
"%~dp0..\node\node.exe" "%~dp0..\cli\linekeeper.js" %*
