package dev.parley.transport.server;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/** Keys, certificates and PEM text for the TLS tests, made in memory with the JDK and BouncyCastle. */
final class TlsTestCerts {

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private TlsTestCerts() {
    }

    // ------------------------------------------------------------------ keys

    static KeyPair ec() {
        return generate("EC", new ECGenParameterSpec("secp256r1"));
    }

    static KeyPair rsa() {
        return generate("RSA", null);
    }

    static KeyPair ed25519() {
        return generate("Ed25519", null);
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) generator.initialize(spec);
            else if (algorithm.equals("RSA")) generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ certificates

    /** A server certificate for {@code name} (CN and DNS SAN) valid from {@code from} to {@code to}. */
    static X509Certificate selfSigned(KeyPair keys, String name, Instant from, Instant to) {
        return issue(keys.getPublic(), name, false, from, to, keys, name);
    }

    /** A server certificate for {@code name}, valid from a day ago for 30 days. */
    static X509Certificate selfSigned(KeyPair keys, String name) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return selfSigned(keys, name, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
    }

    /** A self-signed CA certificate, valid from a day ago for 30 days. */
    static X509Certificate rootCa(KeyPair keys, String name) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return issue(keys.getPublic(), name, true, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), keys,
                name);
    }

    /** A certificate for {@code subject} signed by {@code issuerKeys}, whose certificate is named {@code issuer}. */
    static X509Certificate issue(PublicKey subjectKey, String subject, boolean ca, Instant from,
            Instant to, KeyPair issuerKeys, String issuer) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to),
                    new X500Name("CN=" + subject), subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, subject)));
            }
            String algorithm = switch (issuerKeys.getPrivate().getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                case "EdDSA", "Ed25519" -> "Ed25519";
                default -> throw new IllegalArgumentException(issuerKeys.getPrivate().getAlgorithm());
            };
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ PEM

    static String pem(X509Certificate cert) {
        try {
            return TlsPem.encode("CERTIFICATE", cert.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKCS#8, "PRIVATE KEY": what the JDK's encoding is. */
    static String pkcs8(PrivateKey key) {
        return TlsPem.encode("PRIVATE KEY", key.getEncoded());
    }

    /** PKCS#1, "RSA PRIVATE KEY": the inner structure of an RSA PKCS#8 key. */
    static String pkcs1(PrivateKey rsa) {
        try {
            byte[] der = PrivateKeyInfo.getInstance(rsa.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
            return TlsPem.encode("RSA PRIVATE KEY", der);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SEC1, "EC PRIVATE KEY" with the curve named inside it, preceded by "EC PARAMETERS" as OpenSSL writes it. */
    static String sec1(PrivateKey ec) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getEncoded());
            ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            byte[] der = new ECPrivateKey(256, inner.getKey(), curve).getEncoded();
            return TlsPem.encode("EC PARAMETERS", curve.toASN1Primitive().getEncoded())
                    + TlsPem.encode("EC PRIVATE KEY", der);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKCS#8 encrypted with a password, "ENCRYPTED PRIVATE KEY", as {@code openssl pkcs8 -topk8} writes it. */
    static String encryptedPkcs8(PrivateKey key) {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setProvider(new BouncyCastleProvider()) // the JDK has no PKCS7Padding
                    .setPassword("secret".toCharArray()).build();
            return write(new JcaPKCS8Generator(key, encryptor));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** OpenSSL's legacy encryption: "RSA PRIVATE KEY" with Proc-Type and DEK-Info headers. */
    static String legacyEncrypted(PrivateKey rsa) {
        try {
            var encryptor = new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new BouncyCastleProvider())
                    .build("secret".toCharArray());
            return write(new JcaMiscPEMGenerator(rsa, encryptor));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(PemObjectGenerator generator) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(generator);
        }
        return text.toString();
    }

    static Path write(Path dir, String name, String... pems) {
        try {
            return Files.writeString(dir.resolve(name), String.join("", pems), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
