# Run elevated by the NSIS uninstaller (not on updates). Removes the services and the PATH entry; keeps the data
# in %ProgramData%\Linekeeper unless -RemoveData is given.
param([Parameter(Mandatory = $true)][string]$InstallDir, [switch]$RemoveData)
$ErrorActionPreference = 'Continue'

$bin = Join-Path $InstallDir 'resources\bin'
foreach ($name in @('linekeeper-mux', 'linekeeper-uacsta')) {
  if (Get-Service -Name $name -ErrorAction SilentlyContinue) {
    Stop-Service -Name $name -Force -ErrorAction SilentlyContinue
    & sc.exe delete $name | Out-Null
  }
}
$machinePath = [Environment]::GetEnvironmentVariable('Path', 'Machine')
$kept = ($machinePath -split ';') | Where-Object { $_ -and ($_ -ne $bin) }
[Environment]::SetEnvironmentVariable('Path', ($kept -join ';'), 'Machine')
if ($RemoveData) { Remove-Item -Recurse -Force (Join-Path $env:ProgramData 'Linekeeper') -ErrorAction SilentlyContinue }
