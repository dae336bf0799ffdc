package dev.parley.transport.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TlsMaterial#selfSigned}: what it makes, where it keeps it, and when it makes a new one. */
class TlsSelfSignedTest {

    private static final Instant START = Instant.parse("2030-03-01T12:00:00Z");

    @TempDir
    Path cache;

    private Path certFile() {
        return cache.resolve("tls").resolve("localhost-cert.pem");
    }

    private Path keyFile() {
        return cache.resolve("tls").resolve("localhost-key.pem");
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void makesACertificateForLocalhost() throws Exception {
        TlsMaterial tls = TlsMaterial.selfSigned(cache, at(START));
        X509Certificate cert = tls.certificate();

        assertThat(tls.chain()).containsExactly(cert);
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        cert.verify(cert.getPublicKey()); // self-signed
        assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) cert.getPublicKey()).getParams().toString()).contains("secp256r1");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1); // not a CA
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(cert.getKeyUsage()).startsWith(true, false, false, false, false, false); // digitalSignature only
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth
        assertThat(cert.getExtensionValue("2.5.29.14")).isNotNull(); // subject key identifier
        assertThat(cert.getNotBefore().toInstant()).isEqualTo(START.minus(Duration.ofHours(1)));
        assertThat(tls.notAfter()).isEqualTo(START.plus(Duration.ofDays(365)));
        assertThat(cert.getSerialNumber().signum()).isPositive();
        assertThat(cert.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
        assertThat(tls.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThat(TlsPem.matches(tls.privateKey(), cert.getPublicKey())).isTrue();
    }

    @Test
    void storesTheKeyOwnerOnlyAndBothFilesAsPem() throws Exception {
        TlsMaterial tls = TlsMaterial.selfSigned(cache, at(START));

        assertThat(tls.certificateFile()).contains(certFile());
        assertThat(Files.readAllLines(certFile())).first().isEqualTo("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readAllLines(keyFile())).first().isEqualTo("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.list(cache.resolve("tls"))).as("no temporary files left")
                .containsExactlyInAnyOrder(certFile(), keyFile());
        TlsMaterial reread = TlsMaterial.fromPem(certFile(), keyFile(), at(START));
        assertThat(reread.sha256Fingerprint()).isEqualTo(tls.sha256Fingerprint());
        assertThat(reread.privateKey().getEncoded()).isEqualTo(tls.privateKey().getEncoded());

        assumeThat(cache.getFileSystem().supportedFileAttributeViews()).contains("posix");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certFile()))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.resolve("tls"))))
                .isEqualTo("rwx------");
    }

    @Test
    void reusesTheStoredCertificate() throws Exception {
        TlsMaterial first = TlsMaterial.selfSigned(cache, at(START));
        byte[] keyBytes = Files.readAllBytes(keyFile());

        TlsMaterial again = TlsMaterial.selfSigned(cache, at(START.plus(Duration.ofMinutes(5))));
        TlsMaterial months = TlsMaterial.selfSigned(cache, at(START.plus(Duration.ofDays(300))));

        assertThat(again.sha256Fingerprint()).isEqualTo(first.sha256Fingerprint());
        assertThat(months.sha256Fingerprint()).isEqualTo(first.sha256Fingerprint());
        assertThat(months.certificateFile()).contains(certFile());
        assertThat(Files.readAllBytes(keyFile())).isEqualTo(keyBytes);
    }

    @Test
    void replacesACertificateWithLessThanAWeekLeft() throws Exception {
        TlsMaterial first = TlsMaterial.selfSigned(cache, at(START));
        Instant sixDaysBeforeEnd = first.notAfter().minus(Duration.ofDays(6));
        Instant eightDaysBeforeEnd = first.notAfter().minus(Duration.ofDays(8));

        assertThat(TlsMaterial.selfSigned(cache, at(eightDaysBeforeEnd)).sha256Fingerprint())
                .isEqualTo(first.sha256Fingerprint());
        TlsMaterial renewed = TlsMaterial.selfSigned(cache, at(sixDaysBeforeEnd));

        assertThat(renewed.sha256Fingerprint()).isNotEqualTo(first.sha256Fingerprint());
        assertThat(renewed.notAfter()).isEqualTo(sixDaysBeforeEnd.plus(Duration.ofDays(365)));
        assertThat(renewed.privateKey().getEncoded()).isNotEqualTo(first.privateKey().getEncoded());
        assertThat(TlsMaterial.fromPem(certFile(), keyFile(), at(sixDaysBeforeEnd)).sha256Fingerprint())
                .isEqualTo(renewed.sha256Fingerprint());
        assertThat(TlsMaterial.selfSigned(cache, at(sixDaysBeforeEnd.plus(Duration.ofDays(1)))).sha256Fingerprint())
                .as("the renewed one is reused in turn").isEqualTo(renewed.sha256Fingerprint());
    }

    @Test
    void replacesAnExpiredCertificate() {
        TlsMaterial first = TlsMaterial.selfSigned(cache, at(START));
        Instant later = START.plus(Duration.ofDays(800));

        TlsMaterial renewed = TlsMaterial.selfSigned(cache, at(later));

        assertThat(renewed.sha256Fingerprint()).isNotEqualTo(first.sha256Fingerprint());
        assertThat(renewed.notAfter()).isEqualTo(later.plus(Duration.ofDays(365)));
    }

    @Test
    void replacesACertificateNotYetValidAfterTheClockWentBack() {
        TlsMaterial first = TlsMaterial.selfSigned(cache, at(START));

        TlsMaterial renewed = TlsMaterial.selfSigned(cache, at(START.minus(Duration.ofDays(2))));

        assertThat(renewed.sha256Fingerprint()).isNotEqualTo(first.sha256Fingerprint());
    }

    @Test
    void replacesACorruptCertificate() throws Exception {
        TlsMaterial first = TlsMaterial.selfSigned(cache, at(START));
        Files.writeString(certFile(), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        TlsMaterial renewed = TlsMaterial.selfSigned(cache, at(START));

        assertThat(renewed.sha256Fingerprint()).isNotEqualTo(first.sha256Fingerprint());
        assertThat(TlsMaterial.fromPem(certFile(), keyFile(), at(START)).sha256Fingerprint())
                .isEqualTo(renewed.sha256Fingerprint());
    }

    @Test
    void replacesATruncatedOrMissingKey() throws Exception {
        TlsMaterial first = TlsMaterial.selfSigned(cache, at(START));
        String key = Files.readString(keyFile());
        Files.writeString(keyFile(), key.substring(0, key.length() / 2));

        TlsMaterial second = TlsMaterial.selfSigned(cache, at(START));
        Files.delete(keyFile());
        TlsMaterial third = TlsMaterial.selfSigned(cache, at(START));

        assertThat(second.sha256Fingerprint()).isNotEqualTo(first.sha256Fingerprint());
        assertThat(third.sha256Fingerprint()).isNotEqualTo(second.sha256Fingerprint());
        assertThat(keyFile()).exists();
    }

    @Test
    void replacesAKeyAndCertificateThatDoNotMatch() throws Exception {
        TlsMaterial first = TlsMaterial.selfSigned(cache, at(START));
        Files.writeString(keyFile(), TlsTestCerts.pkcs8(TlsTestCerts.ec().getPrivate()));

        TlsMaterial renewed = TlsMaterial.selfSigned(cache, at(START));

        assertThat(renewed.sha256Fingerprint()).isNotEqualTo(first.sha256Fingerprint());
        assertThat(TlsPem.matches(renewed.privateKey(), renewed.certificate().getPublicKey())).isTrue();
    }

    @Test
    void replacesACertificateForOtherNames() throws Exception {
        KeyPair keys = TlsTestCerts.ec();
        Files.createDirectories(certFile().getParent());
        X509Certificate other = TlsTestCerts.selfSigned(keys, "intranet.example", START.minus(Duration.ofDays(1)),
                START.plus(Duration.ofDays(100)));
        Files.writeString(certFile(), TlsTestCerts.pem(other));
        Files.writeString(keyFile(), TlsTestCerts.pkcs8(keys.getPrivate()));

        TlsMaterial tls = TlsMaterial.selfSigned(cache, at(START));

        assertThat(tls.certificate()).isNotEqualTo(other);
        assertThat(tls.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    }

    @Test
    void keepsTheCertificateInMemoryWhenTheCacheCannotBeWritten() throws Exception {
        Path notADirectory = Files.writeString(cache.resolve("cache-is-a-file"), "x");

        TlsMaterial tls = TlsMaterial.selfSigned(notADirectory, at(START));

        assertThat(tls.certificateFile()).isEmpty();
        assertThat(tls.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(TlsPem.matches(tls.privateKey(), tls.certificate().getPublicKey())).isTrue();
    }
}
