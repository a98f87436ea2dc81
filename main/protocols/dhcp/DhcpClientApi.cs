// "Locate" on Windows: asks the operating system's DHCP client (dhcpcsvc.dll, DhcpRequestParams) for the TFTP server
// options of an adapter. The DHCP client answers from its lease, or sends the DHCPINFORM itself on UDP 68, which it
// holds (so Linekeeper's own DHCPINFORM cannot receive there). C# 5: PowerShell 5.1's Add-Type compiles it with the
// .NET Framework's compiler, nothing is installed; tests compile it with Mono's mcs against a stand-in library.
// Prints one JSON line per adapter (ASCII only, whatever the console's code page):
//   {"adapter":"{GUID}","name":"Ethernet","addresses":["10.0.0.5"],"dhcp":true,"dhcpServers":["10.0.0.1"],
//    "error":0,"message":"","server":"10.0.0.1","tftpServers":["10.0.0.9"],"tftpName":"cme"}
// error is the Win32 code of DhcpCApiInitialize or DhcpRequestParams (0 = answered; a missing option is empty).
using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Linekeeper
{
    public static class DhcpClientApi
    {
        const uint DHCPCAPI_REQUEST_SYNCHRONOUS = 2;
        const uint ERROR_MORE_DATA = 234;
        const uint OPTION_SERVER_ID = 54;
        const uint OPTION_TFTP_NAME = 66;
        const uint OPTION_TFTP_SERVERS = 150;
        // Enough for a few addresses and a name; a longer answer takes the size the API asks for.
        const int FIRST_BUFFER = 64;

        [StructLayout(LayoutKind.Sequential)]
        struct DHCPCAPI_PARAMS
        {
            public uint Flags;
            public uint OptionId;
            public int IsVendor;
            public IntPtr Data;
            public uint nBytesData;
        }

        [StructLayout(LayoutKind.Sequential)]
        struct DHCPCAPI_PARAMS_ARRAY
        {
            public uint nParams;
            public IntPtr Params;
        }

        [DllImport("dhcpcsvc.dll", CharSet = CharSet.Unicode)]
        static extern uint DhcpCApiInitialize(out uint version);

        [DllImport("dhcpcsvc.dll", CharSet = CharSet.Unicode)]
        static extern void DhcpCApiCleanup();

        [DllImport("dhcpcsvc.dll", CharSet = CharSet.Unicode)]
        static extern uint DhcpRequestParams(uint flags, IntPtr reserved, string adapterName, IntPtr classId,
            DHCPCAPI_PARAMS_ARRAY sendParams, DHCPCAPI_PARAMS_ARRAY recdParams, IntPtr buffer, ref uint size, string requestIdStr);

        public static int Main(string[] args)
        {
            Console.Out.Write(Report(args.Length > 0 ? args[0] : null));
            return 0;
        }

        /// <summary>The adapter with this IPv4 address, or (null/empty) every adapter that is up and has one.</summary>
        public static string Report(string address)
        {
            StringBuilder output = new StringBuilder();
            uint version;
            uint init = DhcpCApiInitialize(out version);
            try
            {
                foreach (NetworkInterface adapter in NetworkInterface.GetAllNetworkInterfaces())
                {
                    List<string> addresses = IPv4Of(adapter);
                    if (string.IsNullOrEmpty(address) ? addresses.Count == 0 || adapter.OperationalStatus != OperationalStatus.Up || adapter.NetworkInterfaceType == NetworkInterfaceType.Loopback : !addresses.Contains(address)) continue;
                    output.Append(Line(adapter, addresses, init)).Append('\n');
                }
            }
            finally
            {
                if (init == 0) DhcpCApiCleanup();
            }
            return output.ToString();
        }

        static List<string> IPv4Of(NetworkInterface adapter)
        {
            List<string> list = new List<string>();
            foreach (UnicastIPAddressInformation a in adapter.GetIPProperties().UnicastAddresses)
                if (a.Address.AddressFamily == AddressFamily.InterNetwork) list.Add(a.Address.ToString());
            return list;
        }

        static string Line(NetworkInterface adapter, List<string> addresses, uint init)
        {
            IPInterfaceProperties ip = adapter.GetIPProperties();
            bool dhcp = false;
            List<string> dhcpServers = new List<string>();
            // Not every platform knows these (Mono on Linux throws for some); they only complete the picture.
            try { dhcp = ip.GetIPv4Properties().IsDhcpEnabled; } catch (Exception) { }
            try { foreach (System.Net.IPAddress s in ip.DhcpServerAddresses) if (s.AddressFamily == AddressFamily.InterNetwork) dhcpServers.Add(s.ToString()); } catch (Exception) { }

            byte[][] options = new byte[3][];
            uint error = init != 0 ? init : Request(adapter.Id, new uint[] { OPTION_TFTP_SERVERS, OPTION_TFTP_NAME, OPTION_SERVER_ID }, options);
            List<string> tftpServers = new List<string>();
            string tftpName = "";
            string server = dhcpServers.Count > 0 ? dhcpServers[0] : "";
            if (error == 0)
            {
                byte[] list = options[0] ?? new byte[0];
                for (int i = 0; i + 4 <= list.Length; i += 4) tftpServers.Add(list[i] + "." + list[i + 1] + "." + list[i + 2] + "." + list[i + 3]);
                if (options[1] != null) tftpName = Encoding.GetEncoding(28591).GetString(options[1]).TrimEnd('\0');
                byte[] id = options[2];
                if (id != null && id.Length == 4) server = id[0] + "." + id[1] + "." + id[2] + "." + id[3];
            }

            StringBuilder json = new StringBuilder("{");
            json.Append("\"adapter\":").Append(Quote(adapter.Id));
            json.Append(",\"name\":").Append(Quote(adapter.Name));
            json.Append(",\"addresses\":").Append(Quote(addresses));
            json.Append(",\"dhcp\":").Append(dhcp ? "true" : "false");
            json.Append(",\"dhcpServers\":").Append(Quote(dhcpServers));
            json.Append(",\"error\":").Append(error);
            json.Append(",\"message\":").Append(Quote(error == 0 ? "" : new Win32Exception((int)error).Message));
            json.Append(",\"server\":").Append(Quote(server));
            json.Append(",\"tftpServers\":").Append(Quote(tftpServers));
            json.Append(",\"tftpName\":").Append(Quote(tftpName));
            return json.Append('}').ToString();
        }

        /// <summary>DhcpRequestParams for these options into a buffer of ours, larger while the API asks for more.</summary>
        static uint Request(string adapterId, uint[] ids, byte[][] values)
        {
            int size = Marshal.SizeOf(typeof(DHCPCAPI_PARAMS));
            IntPtr table = Marshal.AllocHGlobal(size * ids.Length);
            IntPtr buffer = IntPtr.Zero;
            try
            {
                uint bufferSize = FIRST_BUFFER;
                // The size needed may grow between two calls (the documentation says so), hence a few rounds.
                for (int round = 0; ; round++)
                {
                    for (int i = 0; i < ids.Length; i++)
                    {
                        DHCPCAPI_PARAMS p = new DHCPCAPI_PARAMS();
                        p.OptionId = ids[i];
                        Marshal.StructureToPtr(p, new IntPtr(table.ToInt64() + i * size), false);
                    }
                    if (buffer != IntPtr.Zero) Marshal.FreeHGlobal(buffer);
                    buffer = Marshal.AllocHGlobal((int)bufferSize);
                    DHCPCAPI_PARAMS_ARRAY none = new DHCPCAPI_PARAMS_ARRAY();
                    DHCPCAPI_PARAMS_ARRAY recd = new DHCPCAPI_PARAMS_ARRAY();
                    recd.nParams = (uint)ids.Length;
                    recd.Params = table;
                    uint given = bufferSize;
                    uint error = DhcpRequestParams(DHCPCAPI_REQUEST_SYNCHRONOUS, IntPtr.Zero, adapterId, IntPtr.Zero, none, recd, buffer, ref bufferSize, null);
                    if (error == ERROR_MORE_DATA && round < 4 && bufferSize > given && bufferSize <= 65536) continue;
                    if (error != 0) return error;
                    for (int i = 0; i < ids.Length; i++)
                    {
                        DHCPCAPI_PARAMS p = (DHCPCAPI_PARAMS)Marshal.PtrToStructure(new IntPtr(table.ToInt64() + i * size), typeof(DHCPCAPI_PARAMS));
                        // The data lies in our buffer; anything else is not read.
                        long at = p.Data.ToInt64() - buffer.ToInt64();
                        if (p.Data == IntPtr.Zero || p.nBytesData == 0 || at < 0 || at + p.nBytesData > given) continue;
                        values[i] = new byte[p.nBytesData];
                        Marshal.Copy(p.Data, values[i], 0, (int)p.nBytesData);
                    }
                    return 0;
                }
            }
            finally
            {
                Marshal.FreeHGlobal(table);
                if (buffer != IntPtr.Zero) Marshal.FreeHGlobal(buffer);
            }
        }

        static string Quote(List<string> list)
        {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < list.Count; i++) s.Append(i > 0 ? "," : "").Append(Quote(list[i]));
            return s.Append(']').ToString();
        }

        static string Quote(string text)
        {
            StringBuilder s = new StringBuilder("\"");
            foreach (char c in text ?? "")
            {
                if (c == '"' || c == '\\') s.Append('\\').Append(c);
                else if (c < 0x20 || c > 0x7e) s.Append("\\u").Append(((int)c).ToString("x4"));
                else s.Append(c);
            }
            return s.Append('"').ToString();
        }
    }
}
