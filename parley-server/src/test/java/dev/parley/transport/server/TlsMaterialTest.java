package dev.parley.transport.server;

import static dev.parley.transport.server.TlsTestCerts.pem;
import static dev.parley.transport.server.TlsTestCerts.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TlsMaterial#fromPem}: the key encodings, chains, and a one-line message for each thing that can be wrong. */
class TlsMaterialTest {

    @TempDir
    Path dir;

    private final KeyPair ec = TlsTestCerts.ec();
    private final X509Certificate ecCert = TlsTestCerts.selfSigned(ec, "parley.example");

    // ------------------------------------------------------------------ accepted

    @Test
    void readsAnEcKeyInPkcs8() throws Exception {
        Path cert = write(dir, "cert.pem", pem(ecCert));
        Path key = write(dir, "key.pem", TlsTestCerts.pkcs8(ec.getPrivate()));

        TlsMaterial tls = TlsMaterial.fromPem(cert, key);

        assertThat(tls.chain()).containsExactly(ecCert);
        assertThat(tls.certificate()).isEqualTo(ecCert);
        assertThat(tls.privateKey().getEncoded()).isEqualTo(ec.getPrivate().getEncoded());
        assertThat(tls.certificateFile()).contains(cert);
        assertThat(tls.notAfter()).isEqualTo(ecCert.getNotAfter().toInstant());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(ecCert.getEncoded());
        assertThat(tls.sha256Fingerprint())
                .isEqualTo(HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest))
                .matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(tls.toString()).contains("CN=parley.example", tls.sha256Fingerprint()).doesNotContain("PRIVATE");
    }

    @Test
    void readsAnRsaKeyInPkcs8AndInPkcs1() throws Exception {
        KeyPair rsa = TlsTestCerts.rsa();
        Path cert = write(dir, "cert.pem", pem(TlsTestCerts.selfSigned(rsa, "parley.example")));
        Path pkcs8 = write(dir, "pkcs8.pem", TlsTestCerts.pkcs8(rsa.getPrivate()));
        Path pkcs1 = write(dir, "pkcs1.pem", TlsTestCerts.pkcs1(rsa.getPrivate()));
        assertThat(Files.readAllLines(pkcs1)).first().isEqualTo("-----BEGIN RSA PRIVATE KEY-----");

        assertThat(TlsMaterial.fromPem(cert, pkcs8).privateKey().getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
        assertThat(TlsMaterial.fromPem(cert, pkcs1).privateKey().getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void readsAnEcKeyInSec1AfterItsParameters() throws Exception {
        Path cert = write(dir, "cert.pem", pem(ecCert));
        Path key = write(dir, "key.pem", TlsTestCerts.sec1(ec.getPrivate()));
        assertThat(Files.readAllLines(key)).contains("-----BEGIN EC PARAMETERS-----", "-----BEGIN EC PRIVATE KEY-----");

        TlsMaterial tls = TlsMaterial.fromPem(cert, key);

        assertThat(tls.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThat(TlsPem.matches(tls.privateKey(), ec.getPublic())).isTrue();
    }

    @Test
    void readsAnEd25519Key() {
        KeyPair ed = TlsTestCerts.ed25519();
        Path cert = write(dir, "cert.pem", pem(TlsTestCerts.selfSigned(ed, "parley.example")));
        Path key = write(dir, "key.pem", TlsTestCerts.pkcs8(ed.getPrivate()));

        TlsMaterial tls = TlsMaterial.fromPem(cert, key);

        assertThat(tls.privateKey().getAlgorithm()).isEqualTo("EdDSA");
        assertThat(tls.privateKey().getEncoded()).isEqualTo(ed.getPrivate().getEncoded());
    }

    @Test
    void readsAChainAndKeepsItsOrder() throws Exception {
        KeyPair rootKeys = TlsTestCerts.rsa();
        KeyPair intermediateKeys = TlsTestCerts.ec();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509Certificate intermediate = TlsTestCerts.issue(intermediateKeys.getPublic(), "Parley Intermediate", true,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), rootKeys, "Parley Root");
        X509Certificate leaf = TlsTestCerts.issue(ec.getPublic(), "parley.example", false,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)), intermediateKeys, "Parley Intermediate");
        Path cert = write(dir, "fullchain.pem", pem(leaf), "\n", pem(intermediate));
        Path key = write(dir, "key.pem", TlsTestCerts.pkcs8(ec.getPrivate()));

        TlsMaterial tls = TlsMaterial.fromPem(cert, key);

        assertThat(tls.chain()).containsExactly(leaf, intermediate);
        assertThat(tls.notAfter()).isEqualTo(leaf.getNotAfter().toInstant());
        KeyStore store = tls.keyStore("pw".toCharArray());
        assertThat(store.aliases().nextElement()).isEqualTo(TlsMaterial.KEY_ALIAS);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.getCertificateChain(TlsMaterial.KEY_ALIAS)).containsExactly(leaf, intermediate);
        Key stored = store.getKey(TlsMaterial.KEY_ALIAS, "pw".toCharArray());
        assertThat(stored.getEncoded()).isEqualTo(ec.getPrivate().getEncoded());
    }

    @Test
    void readsOneFileHoldingTheKeyAndTheCertificate() {
        Path both = write(dir, "both.pem", TlsTestCerts.pkcs8(ec.getPrivate()), pem(ecCert));

        TlsMaterial tls = TlsMaterial.fromPem(both, both);

        assertThat(tls.chain()).containsExactly(ecCert);
    }

    @Test
    void toleratesTextAroundTheBlocks() {
        Path cert = write(dir, "cert.pem", "subject=CN = parley.example\nissuer=CN = parley.example\n", pem(ecCert));
        Path key = write(dir, "key.pem", TlsTestCerts.pkcs8(ec.getPrivate()).replace("\n", "\r\n"));

        assertThat(TlsMaterial.fromPem(cert, key).certificate()).isEqualTo(ecCert);
    }

    @Test
    void servesACertificateCloseToItsEnd() {
        Path cert = write(dir, "cert.pem", pem(ecCert));
        Path key = write(dir, "key.pem", TlsTestCerts.pkcs8(ec.getPrivate()));
        Clock dayBeforeEnd = Clock.fixed(ecCert.getNotAfter().toInstant().minus(Duration.ofDays(1)), ZoneOffset.UTC);

        assertThat(TlsMaterial.fromPem(cert, key, dayBeforeEnd).certificate()).isEqualTo(ecCert);
    }

    // ------------------------------------------------------------------ refused, each with one line naming the file

    @Test
    void missingFiles() {
        Path cert = write(dir, "cert.pem", pem(ecCert));
        Path key = write(dir, "key.pem", TlsTestCerts.pkcs8(ec.getPrivate()));
        Path nowhere = dir.resolve("nowhere.pem");

        assertFails(nowhere, key, "TLS certificate file " + nowhere + " does not exist");
        assertFails(cert, nowhere, "TLS key file " + nowhere + " does not exist");
        assertFails(dir, key, "TLS certificate file " + dir + " is a directory, not a file");
    }

    @Test
    void emptyAndNonPemFiles() throws Exception {
        Path key = write(dir, "key.pem", TlsTestCerts.pkcs8(ec.getPrivate()));
        Path empty = write(dir, "empty.pem");
        Path der = Files.write(dir.resolve("cert.der"), ecCert.getEncoded());
        Path derKey = Files.write(dir.resolve("key.der"), ec.getPrivate().getEncoded());
        Path cert = write(dir, "cert.pem", pem(ecCert));

        assertFails(empty, key, "TLS certificate file " + empty + " is empty");
        assertFails(der, key, "TLS certificate file " + der + " is not PEM (no -----BEGIN line); if it is DER, "
                + "convert it: openssl x509 -inform der -in " + der + " -out cert.pem");
        assertFails(cert, derKey, "TLS key file " + derKey + " is not PEM (no -----BEGIN line); if it is DER, "
                + "convert it: openssl pkey -inform der -in " + derKey + " -out key.pem");
    }

    @Test
    void malformedPem() {
        Path key = write(dir, "key.pem", TlsTestCerts.pkcs8(ec.getPrivate()));
        Path unterminated = write(dir, "unterminated.pem", pem(ecCert).lines().limit(5).map(l -> l + "\n")
                .reduce("", String::concat));
        Path notBase64 = write(dir, "garbled.pem", "-----BEGIN CERTIFICATE-----\n%%%% not base64 ****\n"
                + "-----END CERTIFICATE-----\n");
        Path notACertificate = write(dir, "notcert.pem",
                TlsPem.encode("CERTIFICATE", new byte[] {0x30, 0x03, 1, 2, 3}));

        assertThatThrownBy(() -> TlsMaterial.fromPem(unterminated, key)).isInstanceOf(TlsException.class)
                .hasMessageStartingWith("TLS certificate file " + unterminated + " is not valid PEM (")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> TlsMaterial.fromPem(notBase64, key)).isInstanceOf(TlsException.class)
                .hasMessageStartingWith("TLS certificate file " + notBase64 + " is not valid PEM (")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> TlsMaterial.fromPem(notACertificate, key)).isInstanceOf(TlsException.class)
                .hasMessageStartingWith("TLS certificate file " + notACertificate
                        + ": certificate 1 is not a valid X.509 certificate (")
                .hasMessageNotContaining("\n");
    }

    @Test
    void noCertificate() {
        Path key = write(dir, "key.pem", TlsTestCerts.pkcs8(ec.getPrivate()));
        Path other = write(dir, "params.pem", TlsPem.encode("EC PARAMETERS", new byte[] {6, 1, 1}));

        assertFails(key, key, "TLS certificate file " + key + " contains no CERTIFICATE block (found PRIVATE KEY); "
                + "it holds a private key: are the certificate and key files swapped?");
        assertFails(other, key,
                "TLS certificate file " + other + " contains no CERTIFICATE block (found EC PARAMETERS)");
    }

    @Test
    void noKey() {
        Path cert = write(dir, "cert.pem", pem(ecCert));
        Path openssh = write(dir, "id_ed25519", TlsPem.encode("OPENSSH PRIVATE KEY", new byte[] {1, 2, 3}));

        assertFails(cert, cert, "TLS key file " + cert + " contains no private key (found CERTIFICATE; "
                + "expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
        assertFails(cert, openssh, "TLS key file " + openssh + " contains no private key (found OPENSSH PRIVATE KEY; "
                + "expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    @Test
    void twoKeys() {
        Path cert = write(dir, "cert.pem", pem(ecCert));
        Path keys = write(dir, "keys.pem", TlsTestCerts.pkcs8(ec.getPrivate()),
                TlsTestCerts.pkcs8(TlsTestCerts.ec().getPrivate()));

        assertFails(cert, keys, "TLS key file " + keys + " contains 2 private keys; it must hold exactly one");
    }

    @Test
    void encryptedKeys() throws Exception {
        KeyPair rsa = TlsTestCerts.rsa();
        Path cert = write(dir, "cert.pem", pem(TlsTestCerts.selfSigned(rsa, "parley.example")));
        Path pkcs8 = write(dir, "k.pem", TlsTestCerts.encryptedPkcs8(rsa.getPrivate()));
        Path legacy = write(dir, "legacy.key", TlsTestCerts.legacyEncrypted(rsa.getPrivate()));
        assertThat(Files.readAllLines(pkcs8)).first().isEqualTo("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.readAllLines(legacy)).contains("-----BEGIN RSA PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED");

        assertFails(cert, pkcs8, "TLS key file " + pkcs8 + " holds an encrypted private key; Parley needs it "
                + "unencrypted: openssl pkey -in " + pkcs8 + " -out " + dir.resolve("k-plain.pem"));
        assertFails(cert, legacy, "TLS key file " + legacy + " holds an encrypted private key; Parley needs it "
                + "unencrypted: openssl pkey -in " + legacy + " -out " + dir.resolve("legacy-plain.key"));
    }

    @Test
    void malformedKeys() {
        Path cert = write(dir, "cert.pem", pem(ecCert));
        Path notDer = write(dir, "notder.pem", TlsPem.encode("EC PRIVATE KEY", new byte[] {0x04, 0x01, 0x00}));
        Path noCurve = write(dir, "nocurve.pem", TlsPem.encode("EC PRIVATE KEY", new byte[] {0x30, 0x03, 2, 1, 1}));
        byte[] pkcs8 = ec.getPrivate().getEncoded();
        Path truncated = write(dir, "truncated.pem",
                TlsPem.encode("PRIVATE KEY", Arrays.copyOf(pkcs8, pkcs8.length - 8)));

        assertThatThrownBy(() -> TlsMaterial.fromPem(cert, notDer)).isInstanceOf(TlsException.class)
                .hasMessageStartingWith("TLS key file " + notDer + ": the EC PRIVATE KEY block is malformed (")
                .hasMessageNotContaining("\n");
        assertFails(cert, noCurve, "TLS key file " + noCurve + ": the EC PRIVATE KEY does not name its curve");
        assertThatThrownBy(() -> TlsMaterial.fromPem(cert, truncated)).isInstanceOf(TlsException.class)
                .hasMessageStartingWith("TLS key file " + truncated + ": the PRIVATE KEY block is malformed (")
                .hasMessageNotContaining("\n");
    }

    @Test
    void keyOfAnotherCertificate() {
        Path cert = write(dir, "cert.pem", pem(ecCert));
        Path otherEc = write(dir, "other-ec.pem", TlsTestCerts.pkcs8(TlsTestCerts.ec().getPrivate()));
        Path rsa = write(dir, "rsa.pem", TlsTestCerts.pkcs1(TlsTestCerts.rsa().getPrivate()));

        assertFails(cert, otherEc, "the private key in " + otherEc + " does not match the certificate in " + cert
                + " (CN=parley.example)");
        assertFails(cert, rsa, "the private key in " + rsa + " does not match the certificate in " + cert
                + " (CN=parley.example)");
    }

    @Test
    void keyOfALaterCertificateInTheChain() {
        KeyPair caKeys = TlsTestCerts.ec();
        X509Certificate ca = TlsTestCerts.rootCa(caKeys, "Parley CA");
        X509Certificate leaf = TlsTestCerts.issue(ec.getPublic(), "parley.example", false,
                ecCert.getNotBefore().toInstant(), ecCert.getNotAfter().toInstant(), caKeys, "Parley CA");
        Path cert = write(dir, "chain.pem", pem(ca), pem(leaf));
        Path key = write(dir, "key.pem", TlsTestCerts.pkcs8(ec.getPrivate()));

        assertFails(cert, key, "the private key in " + key + " belongs to certificate 2 in " + cert
                + ", not the first: put the server's own certificate first");
    }

    @Test
    void expiredAndNotYetValidCertificates() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant ended = now.minus(Duration.ofDays(3));
        Instant starts = now.plus(Duration.ofDays(3));
        Path expired = write(dir, "expired.pem",
                pem(TlsTestCerts.selfSigned(ec, "old.example", now.minus(Duration.ofDays(90)), ended)));
        Path future = write(dir, "future.pem",
                pem(TlsTestCerts.selfSigned(ec, "new.example", starts, now.plus(Duration.ofDays(90)))));
        Path key = write(dir, "key.pem", TlsTestCerts.pkcs8(ec.getPrivate()));

        assertFails(expired, key, "the TLS certificate in " + expired + " (CN=old.example) expired on " + ended);
        assertFails(future, key, "the TLS certificate in " + future + " (CN=new.example) is not valid until " + starts);
    }

    /** Loading fails with exactly {@code message}, on one line. */
    private static void assertFails(Path cert, Path key, String message) {
        assertThatThrownBy(() -> TlsMaterial.fromPem(cert, key))
                .isInstanceOf(TlsException.class)
                .hasMessage(message)
                .hasMessageNotContaining("\n");
    }
}
