# Run elevated by the NSIS installer and the MSI (a deferred custom action), or by hand:
#   powershell -NoProfile -ExecutionPolicy Bypass -File install-services.ps1 -InstallDir "C:\Program Files\Linekeeper"
# Puts `linekeeper` on the machine PATH, prepares the shared data directory and registers the multiplexer and uaCSTA
# server services. -Start names services (comma-separated) to start at the end: those an NSIS update found running
# before it stopped them; services running now are stopped while the host is rebuilt and started again too.
param([Parameter(Mandatory = $true)][string]$InstallDir, [string]$Start = '')
$ErrorActionPreference = 'Stop'
# The MSI passes "[APPLICATIONFOLDER]." (a trailing backslash would escape the closing quote).
$InstallDir = [IO.Path]::GetFullPath($InstallDir).TrimEnd('\')

$resources = Join-Path $InstallDir 'resources'
$here = Join-Path $resources 'services\windows'
$bin = Join-Path $resources 'bin'
$dataDir = Join-Path $env:ProgramData 'Linekeeper'
$account = 'NT AUTHORITY\LocalService'

# The service host is compiled by the C# compiler that ships with Windows: nothing is downloaded.
$csc = Join-Path $env:WINDIR 'Microsoft.NET\Framework64\v4.0.30319\csc.exe'
if (-not (Test-Path $csc)) { throw "LINEKEEPER_NO_CSC: the .NET Framework 4 C# compiler ($csc) is missing" }
$exe = Join-Path $here 'linekeeper-service.exe'
$names = @('linekeeper-mux', 'linekeeper-uacsta')
$restart = @($Start -split '[,\s]+' | Where-Object { $names -contains $_ })
# What the MSI's upgrade stopped (uninstall-services.ps1 -ForUpdate of the version it replaced).
$pending = Join-Path $dataDir 'restart-after-update.txt'
if (Test-Path $pending) {
  $restart += @(Get-Content $pending | Where-Object { $names -contains $_ })
  Remove-Item -Force $pending
}
# A running service holds the host exe, which csc is about to replace.
foreach ($running in @(Get-Service -Name $names -ErrorAction SilentlyContinue | Where-Object { $_.Status -eq 'Running' })) {
  $restart += $running.Name
  Stop-Service -Name $running.Name -Force
}
& $csc /nologo /target:exe "/out:$exe" /reference:System.ServiceProcess.dll (Join-Path $here 'LinekeeperService.cs')
if ($LASTEXITCODE -ne 0) { throw "LINEKEEPER_SERVICE_BUILD_FAILED: csc exited with $LASTEXITCODE" }

# One data directory for console and services; the service account may change it, other users may not read it.
New-Item -ItemType Directory -Force -Path $dataDir | Out-Null
& icacls $dataDir /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' '*S-1-5-19:(OI)(CI)M' | Out-Null

$machinePath = [Environment]::GetEnvironmentVariable('Path', 'Machine')
if (-not (($machinePath -split ';') -contains $bin)) {
  [Environment]::SetEnvironmentVariable('Path', ($machinePath.TrimEnd(';') + ';' + $bin), 'Machine')
}

$services = @(
  @{ Server = 'mux'; Display = 'Linekeeper CSTA multiplexer'; Description = 'Shares one CSTA link to the Panasonic PBX among many CTI applications. Settings: Linekeeper console, Services.' },
  @{ Server = 'uacsta'; Display = 'Linekeeper uaCSTA server for SIP phones'; Description = 'Registers SIP phones and lets CTI applications control them over CSTA. Settings: Linekeeper console, Services.' }
)
foreach ($service in $services) {
  $name = 'linekeeper-' + $service.Server
  $binPath = "`"$exe`" $($service.Server) `"$dataDir`""
  if (Get-Service -Name $name -ErrorAction SilentlyContinue) {
    # An update keeps the admin's start type and account; only the program path is refreshed.
    & sc.exe config $name binPath= $binPath | Out-Null
  } else {
    # Starts at boot, after the network is up; unconfigured it exits 78 and stays stopped with that reason.
    & sc.exe create $name binPath= $binPath start= delayed-auto obj= $account DisplayName= $service.Display | Out-Null
  }
  if ($LASTEXITCODE -ne 0) { throw "LINEKEEPER_SERVICE_CREATE_FAILED: sc.exe exited with $LASTEXITCODE for $name" }
  & sc.exe description $name $service.Description | Out-Null
  # The host retries a failed command itself and never one that exited 78 (not configured), then stops with its
  # exit code; these actions only restart a host that crashed. failureflag 0: a stop with an exit code is no crash.
  & sc.exe failure $name reset= 86400 actions= restart/5000/restart/5000// | Out-Null
  & sc.exe failureflag $name 0 | Out-Null
}
foreach ($name in ($restart | Select-Object -Unique)) { Start-Service -Name $name -ErrorAction Continue }
