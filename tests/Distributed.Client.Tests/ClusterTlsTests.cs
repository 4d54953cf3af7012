using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.Client.Tests;

/// <summary>https:// end to end: the coordinator serves TLS with a certificate, and a client talks to it only if it trusts that certificate.</summary>
public sealed class ClusterTlsTests : IDisposable
{
    private const string Token = "tls-token";
    private static readonly TimeSpan Timeout = TestTimeouts.Default;
    private readonly string _certificatePath = Path.Combine(Path.GetTempPath(), $"coordinator-{Guid.NewGuid():N}.pfx");
    private readonly X509Certificate2 _certificate;
    private readonly TestCoordinator _coordinator;

    public ClusterTlsTests()
    {
        _certificate = SelfSigned();
        File.WriteAllBytes(_certificatePath, _certificate.Export(X509ContentType.Pfx));
        _coordinator = TestCoordinator.Start(workers: 1, Token, options =>
        {
            options.Listen.Clear();
            options.Listen.Add("https://127.0.0.1:0");
            options.CertificatePath = _certificatePath;
        }).WithWorkersReady(1);
    }

    public void Dispose()
    {
        _coordinator.Dispose();
        _certificate.Dispose();
        File.Delete(_certificatePath);
    }

    [Fact]
    public void ClientThatTrustsTheCertificate_IsServedOverTls()
    {
        Assert.StartsWith("https://", _coordinator.Address, StringComparison.Ordinal);
        using var client = new RemoteExecutor(_coordinator.Address, new RemoteExecutorOptions
        {
            Token = Token,
            ConfigureHttpHandler = handler => handler.SslOptions.RemoteCertificateValidationCallback =
                (_, presented, _, _) => presented is not null && presented.GetCertHashString() == _certificate.GetCertHashString(),
        });

        Assert.Equal(81, client.Submit(TestTasks.Square, 9).Result(Timeout));
    }

    [Fact]
    public void ClientThatDoesNotTrustTheCertificate_FailsClearly()
    {
        using var client = new RemoteExecutor(_coordinator.Address, new RemoteExecutorOptions { Token = Token });

        var error = Assert.Throws<BrokenExecutorException>(() => client.Submit(TestTasks.Square, 9).Result(Timeout));
        Assert.Contains("lost", error.Message, StringComparison.Ordinal);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
