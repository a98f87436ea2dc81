# Run elevated by the NSIS uninstaller (not on updates) and the MSI's uninstall (a deferred custom action). Removes
# the services and the PATH entry; keeps the data in %ProgramData%\Linekeeper unless -RemoveData is given.
# -ForUpdate (the MSI's major upgrade removing this version): only stops the services and notes in the data directory
# which ran, so that the new version's install-services.ps1 starts them again.
param([Parameter(Mandatory = $true)][string]$InstallDir, [switch]$RemoveData, [switch]$ForUpdate)
$ErrorActionPreference = 'Continue'

# The MSI passes "[APPLICATIONFOLDER]." (a trailing backslash would escape the closing quote).
$InstallDir = [IO.Path]::GetFullPath($InstallDir).TrimEnd('\')
$names = @('linekeeper-mux', 'linekeeper-uacsta')
if ($ForUpdate) {
  $running = @(Get-Service -Name $names -ErrorAction SilentlyContinue | Where-Object { $_.Status -eq 'Running' } | ForEach-Object { $_.Name })
  foreach ($name in $running) { Stop-Service -Name $name -Force -ErrorAction SilentlyContinue }
  if ($running.Count -gt 0) { Set-Content -Path (Join-Path $env:ProgramData 'Linekeeper\restart-after-update.txt') -Value $running }
  exit 0
}

$bin = Join-Path $InstallDir 'resources\bin'
foreach ($name in $names) {
  if (Get-Service -Name $name -ErrorAction SilentlyContinue) {
    Stop-Service -Name $name -Force -ErrorAction SilentlyContinue
    & sc.exe delete $name | Out-Null
  }
}
# The host was compiled at install time, so the MSI does not know the file: it goes here, or the folder stays.
Remove-Item -Force (Join-Path $InstallDir 'resources\services\windows\linekeeper-service.exe') -ErrorAction SilentlyContinue
$machinePath = [Environment]::GetEnvironmentVariable('Path', 'Machine')
$kept = ($machinePath -split ';') | Where-Object { $_ -and ($_ -ne $bin) }
[Environment]::SetEnvironmentVariable('Path', ($kept -join ';'), 'Machine')
if ($RemoveData) { Remove-Item -Recurse -Force (Join-Path $env:ProgramData 'Linekeeper') -ErrorAction SilentlyContinue }
