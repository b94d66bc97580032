using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SymGrad.Tests.Pictures;

/// <summary>
/// Just enough of the Chrome DevTools protocol to drive Debian's headless <c>chromium</c>: one page target in
/// flattened session mode over one WebSocket, with the console errors and uncaught exceptions it reports.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string DefaultPath = "/usr/bin/chromium";

    // Guards against a hung browser only (the test fails with a message instead of hanging); never a speed limit.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly string _userDataDir;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiver = Task.CompletedTask;
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _sessionId;
    private int _nextId;

    /// <summary>Console errors, uncaught exceptions and error log entries, as text.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    private HeadlessChromium(Process process, string userDataDir)
    {
        _process = process;
        _userDataDir = userDataDir;
    }

    public static async Task<HeadlessChromium> StartAsync(string executable = DefaultPath)
    {
        string userDataDir = Directory.CreateTempSubdirectory("symgrad-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--hide-scrollbars", "--remote-debugging-port=0", $"--user-data-dir={userDataDir}", "about:blank"])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        // Drain its chatter (D-Bus complaints and the like) so a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, userDataDir);
        try
        {
            await browser.ConnectAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync()
    {
        // With --remote-debugging-port=0 Chromium picks a port and writes "port\n/devtools/browser/<id>" here.
        string portFile = Path.Combine(_userDataDir, "DevToolsActivePort");
        var deadline = Stopwatch.StartNew();
        string[] lines = [];
        while (lines.Length < 2)
        {
            if (_process.HasExited) throw new InvalidOperationException($"chromium exited early with {_process.ExitCode}");
            if (deadline.Elapsed > HangGuard) throw new TimeoutException("chromium never wrote DevToolsActivePort");
            await Task.Delay(50);
            try { lines = File.Exists(portFile) ? File.ReadAllLines(portFile) : []; }
            catch (IOException) { lines = []; } // being written
        }
        await _socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0].Trim()}{lines[1].Trim()}"), _stop.Token);
        _receiver = Task.Run(ReceiveLoop);

        JsonNode target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, browserLevel: true);
        JsonNode attached = await SendAsync("Target.attachToTarget",
            new JsonObject { ["targetId"] = (string)target["targetId"]!, ["flatten"] = true }, browserLevel: true);
        _sessionId = (string)attached["sessionId"]!;
        await SendAsync("Runtime.enable");
        await SendAsync("Log.enable");
        await SendAsync("Page.enable");
    }

    public async Task NavigateAsync(string url, int width, int height)
    {
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false,
        });
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        JsonNode result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        if (result["errorText"] is JsonNode error) throw new InvalidOperationException($"navigation failed: {error}");
        await _loaded.Task.WaitAsync(HangGuard);
    }

    /// <summary>Evaluates <paramref name="expression"/> (awaiting it if it is a promise) and returns its value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        JsonNode result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true,
        });
        if (result["exceptionDetails"] is JsonNode details) throw new InvalidOperationException($"evaluate threw: {details.ToJsonString()}");
        return result["result"]?["value"];
    }

    public async Task<byte[]> ScreenshotAsync()
    {
        // Let the page paint what the last script drew before the capture.
        await EvaluateAsync("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))");
        JsonNode shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        return Convert.FromBase64String((string)shot["data"]!);
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null, bool browserLevel = false)
    {
        int id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (!browserLevel) message["sessionId"] = _sessionId;
        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _stop.Token);
        return await reply.Task.WaitAsync(HangGuard);
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                Dispatch(JsonNode.Parse(message.ToArray())!);
                message.SetLength(0);
            }
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
        foreach (var pending in _pending.Values) pending.TrySetException(new IOException("DevTools connection closed"));
    }

    private void Dispatch(JsonNode message)
    {
        if (message["id"] is JsonNode idNode && _pending.TryRemove((int)idNode, out var reply))
        {
            if (message["error"] is JsonNode error) reply.TrySetException(new InvalidOperationException(error.ToJsonString()));
            else reply.TrySetResult(message["result"] ?? new JsonObject());
            return;
        }
        JsonNode? p = message["params"];
        string method = message["method"]?.GetValue<string>() ?? "";
        string consoleType = p?["type"]?.GetValue<string>() ?? "";
        string logLevel = p?["entry"]?["level"]?.GetValue<string>() ?? "";
        if (method == "Page.loadEventFired")
            _loaded.TrySetResult();
        else if (method == "Runtime.exceptionThrown")
            Errors.Enqueue("exception: " + p?["exceptionDetails"]?.ToJsonString());
        else if (method == "Runtime.consoleAPICalled" && consoleType is "error" or "assert")
            Errors.Enqueue($"console.{consoleType}: {p?["args"]?.ToJsonString()}");
        else if (method == "Log.entryAdded" && logLevel == "error")
            Errors.Enqueue("log: " + p?["entry"]?.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _receiver; } catch (Exception) { /* the loop only ends; nothing to report at teardown */ }
        _socket.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _stop.Dispose();
        try { Directory.Delete(_userDataDir, recursive: true); }
        catch (IOException) { /* a crash reporter may still hold a file; the temp dir is harmless */ }
    }
}
