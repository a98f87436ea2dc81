// The Windows service host for Linekeeper's servers. Compiled at install time by the C# compiler that ships with
// Windows (.NET Framework 4), so the installer fetches no third-party wrapper. It runs
// `node linekeeper.js service run <name> --data-dir <dir> --stop-on-stdin-end` and stops it by closing stdin.
using System;
using System.Diagnostics;
using System.IO;
using System.ServiceProcess;

public class LinekeeperService : ServiceBase
{
    private readonly string server;
    private readonly string dataDir;
    private Process child;
    private volatile bool stopping;

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
        child = new Process { StartInfo = info, EnableRaisingEvents = true };
        // The CLI writes its own log files in the data directory; the pipes are drained so it never blocks.
        child.OutputDataReceived += (s, e) => { };
        child.ErrorDataReceived += (s, e) => { };
        child.Exited += (s, e) =>
        {
            // An exit we did not ask for is a failure: the process ends so the service manager's recovery restarts it.
            if (!stopping) Environment.Exit(child.ExitCode == 0 ? 1 : child.ExitCode);
        };
        child.Start();
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
    }

    protected override void OnStop()
    {
        stopping = true;
        if (child == null || child.HasExited) return;
        RequestAdditionalTime(15000);
        child.StandardInput.Close();
        if (!child.WaitForExit(10000)) child.Kill();
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
