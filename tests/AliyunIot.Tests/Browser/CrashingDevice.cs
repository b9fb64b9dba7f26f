using System.Net.Sockets;
using System.Text;
using AliyunIot.Ports;

namespace AliyunIot.Tests.Browser;

/// <summary>
/// A device connection made by hand over plain TCP (one MQTT 3.1.1 CONNECT), which can end as a crashed or
/// powered-off device's does: the socket reset, no DISCONNECT sent.
/// </summary>
internal sealed class CrashingDevice : IDisposable
{
    private readonly TcpClient _tcp;

    /// <summary>Connects and waits for an accepting CONNACK.</summary>
    public CrashingDevice(MqttConnectRequest request)
    {
        _tcp = new TcpClient(request.Host, request.Port) { ReceiveTimeout = 10_000 };
        NetworkStream stream = _tcp.GetStream();
        stream.Write(Connect(request));
        byte[] connack = new byte[4];
        stream.ReadExactly(connack);
        if (connack[0] != 0x20 || connack[3] != 0)
        {
            throw new InvalidOperationException("CONNECT refused, CONNACK return code " + connack[3]);
        }
    }

    /// <summary>Ends the connection with a TCP reset, as a device that lost power mid-session.</summary>
    public void Crash()
    {
        _tcp.Client.LingerState = new LingerOption(true, 0);
        _tcp.Close();
    }

    public void Dispose() => _tcp.Dispose();

    private static byte[] Connect(MqttConnectRequest request)
    {
        using var body = new MemoryStream();
        WriteString(body, "MQTT");
        body.WriteByte(4);    // protocol level: MQTT 3.1.1
        body.WriteByte(0xC2); // username, password, clean session
        body.WriteByte((byte)(request.KeepAliveSeconds >> 8));
        body.WriteByte((byte)request.KeepAliveSeconds);
        WriteString(body, request.ClientIdentifier);
        WriteString(body, request.Username);
        WriteString(body, request.Password);

        using var packet = new MemoryStream();
        packet.WriteByte(0x10);
        int length = (int)body.Length;
        do
        {
            int digit = length % 128;
            length /= 128;
            packet.WriteByte((byte)(length > 0 ? digit | 0x80 : digit));
        }
        while (length > 0);
        body.WriteTo(packet);
        return packet.ToArray();
    }

    private static void WriteString(Stream stream, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        stream.WriteByte((byte)(bytes.Length >> 8));
        stream.WriteByte((byte)bytes.Length);
        stream.Write(bytes);
    }
}
