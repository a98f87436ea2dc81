// The Windows service host for Linekeeper's servers. Compiled at install time by the C# compiler that ships with
// Windows (.NET Framework 4), so the installer fetches no third-party wrapper. It runs
// `node linekeeper.js service run <name> --data-dir <dir> --stop-on-stdin-end` and stops it by closing stdin.
using System;
using System.Diagnostics;
using System.IO;
using System.ServiceProcess;
using System.Threading;

public class LinekeeperService : ServiceBase
{
    private readonly string server;
    private readonly string dataDir;
    private readonly object gate = new object();
    private Process child;
    private volatile bool stopping;
    private DateTime startedAt;
    private int retries;
    /// <summary>EX_CONFIG: `service run` has no settings yet, or bad ones; restarting would not help.</summary>
    private const int NotConfigured = 78;
    private const int MaxRetries = 2;
    private const int RetryDelayMs = 5000;

    public LinekeeperService(string server, string dataDir)
    {
        this.server = server;
        this.dataDir = dataDir;
        ServiceName = "linekeeper-" + server;
        CanStop = true;
        CanShutdown = true;
    }

    protected override void OnStart(string[] args)
    {
        StartChild();
    }

    private void StartChild()
    {
        string resources = Path.GetFullPath(Path.Combine(AppDomain.CurrentDomain.BaseDirectory, "..", ".."));
        var info = new ProcessStartInfo
        {
            FileName = Path.Combine(resources, "node", "node.exe"),
            Arguments = "\"" + Path.Combine(resources, "cli", "linekeeper.js") + "\" service run " + server +
                        " --data-dir \"" + dataDir + "\" --stop-on-stdin-end",
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        info.EnvironmentVariables["LINEKEEPER_DATA_DIR"] = dataDir;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        // The CLI writes its own log files in the data directory; the pipes are drained so it never blocks.
        process.OutputDataReceived += (s, e) => { };
        process.ErrorDataReceived += (s, e) => { };
        process.Exited += (s, e) => ChildExited(process);
        startedAt = DateTime.UtcNow;
        child = process;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>
    /// An exit we did not ask for. Like the systemd unit (Restart=on-failure, RestartSec=5,
    /// RestartPreventExitStatus=78): a failure is retried after 5 s, twice in a row at most; 78 (not configured)
    /// never. Then the service stops with the command's exit code as its own, which ServiceBase reports as the
    /// Win32 exit code: `sc query` shows it (78: not configured) and the console words it. A clean stop is not a
    /// crash, so the recovery actions install-services.ps1 sets (failureflag 0) do not restart it either.
    /// </summary>
    private void ChildExited(Process process)
    {
        if (stopping || process != child) return;
        int code = process.ExitCode;
        // A run of more than a minute was a start that worked: the next failure gets the retries again.
        if (DateTime.UtcNow - startedAt > TimeSpan.FromMinutes(1)) retries = 0;
        if (code != 0 && code != NotConfigured && retries < MaxRetries)
        {
            retries++;
            ThreadPool.QueueUserWorkItem(_ =>
            {
                Thread.Sleep(RetryDelayMs);
                lock (gate) { if (!stopping) StartChild(); }
            });
            return;
        }
        ExitCode = code;
        Stop();
    }

    protected override void OnStop()
    {
        Process running;
        lock (gate)
        {
            stopping = true;
            running = child;
        }
        if (running == null || running.HasExited) return;
        RequestAdditionalTime(15000);
        running.StandardInput.Close();
        if (!running.WaitForExit(10000)) running.Kill();
    }

    protected override void OnShutdown()
    {
        OnStop();
    }

    public static void Main(string[] args)
    {
        string server = args.Length > 0 ? args[0] : "mux";
        string dataDir = args.Length > 1 ? args[1] : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "Linekeeper");
        ServiceBase.Run(new LinekeeperService(server, dataDir));
    }
}
