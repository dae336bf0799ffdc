package dev.parley.transport.server;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The self-signed {@code localhost} certificate behind {@link TlsMaterial#selfSigned}: made with BouncyCastle, kept
 * in {@code cacheDir/tls/}, reused while it is sound and has at least {@link #MIN_REMAINING} left.
 */
final class TlsSelfSigned {

    private static final Logger log = LoggerFactory.getLogger(TlsSelfSigned.class);

    static final String DIRECTORY = "tls";
    static final String CERT_FILE = "localhost-cert.pem";
    static final String KEY_FILE = "localhost-key.pem";

    /** How long a new certificate is valid: a year, well inside the 825 days Apple platforms accept. */
    static final Duration VALIDITY = Duration.ofDays(365);
    /** A cached certificate with less than this left is replaced rather than left to expire while serving. */
    static final Duration MIN_REMAINING = Duration.ofDays(7);
    /** Back-dating of notBefore, so a client whose clock is a little behind still accepts a new certificate. */
    static final Duration BACKDATE = Duration.ofHours(1);

    static final String HOST = "localhost";
    /** The subject alternative names, as {@link X509Certificate#getSubjectAlternativeNames()} reports them. */
    static final Set<List<Object>> NAMES = Set.of(
            List.of(GeneralName.dNSName, HOST),
            List.of(GeneralName.iPAddress, "127.0.0.1"),
            List.of(GeneralName.iPAddress, "0:0:0:0:0:0:0:1"));

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private static final SecureRandom RANDOM = new SecureRandom();

    private TlsSelfSigned() {
    }

    /**
     * The cached certificate if it is still good, else a new one, stored if possible. Serialised within the JVM;
     * two processes racing on a fresh cache may leave a key and a certificate that do not match, which the next
     * start notices and repairs.
     */
    static synchronized TlsMaterial obtain(Path cacheDir, Clock clock) {
        Path dir = cacheDir.resolve(DIRECTORY);
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        Optional<TlsMaterial> cached = cached(certFile, keyFile, clock);
        if (cached.isPresent()) {
            log.debug("Reusing the self-signed TLS certificate {}", cached.get());
            return cached.get();
        }
        TlsMaterial fresh = generate(clock);
        try {
            createPrivateDirectory(dir);
            // key first: a crash between the two leaves a pair that does not match, which is regenerated
            writeAtomically(keyFile, TlsPem.encode(TlsPem.PKCS8_KEY, fresh.privateKey().getEncoded()), OWNER_ONLY);
            writeAtomically(certFile, TlsPem.encode(TlsPem.CERTIFICATE, fresh.certificate().getEncoded()),
                    WORLD_READABLE);
        } catch (IOException | GeneralSecurityException e) {
            log.warn("Cannot keep the self-signed TLS certificate in {} ({}); using one that lasts until Parley stops",
                    dir, TlsPem.oneLine(e));
            return fresh;
        }
        TlsMaterial stored = new TlsMaterial(fresh.chain(), fresh.privateKey(), certFile);
        log.info("Created a self-signed TLS certificate for localhost: {} (SHA-256 {}, valid until {})",
                certFile, stored.sha256Fingerprint(), stored.notAfter());
        return stored;
    }

    /** The cached pair, if both files are there, sound, and fit for at least {@link #MIN_REMAINING}. */
    private static Optional<TlsMaterial> cached(Path certFile, Path keyFile, Clock clock) {
        if (Files.notExists(certFile) && Files.notExists(keyFile)) return Optional.empty();
        TlsMaterial tls;
        try {
            tls = TlsMaterial.read(certFile, keyFile);
        } catch (TlsException e) {
            log.warn("Replacing the cached self-signed TLS certificate: {}", e.getMessage());
            return Optional.empty();
        }
        String problem = unfit(tls.certificate(), clock.instant());
        if (problem != null) {
            log.info("Replacing the self-signed TLS certificate {}: {}", certFile, problem);
            return Optional.empty();
        }
        return Optional.of(tls);
    }

    /** Why a cached certificate should not be served at {@code now}, or null if it is fine. */
    static String unfit(X509Certificate cert, Instant now) {
        Instant notAfter = cert.getNotAfter().toInstant();
        Instant notBefore = cert.getNotBefore().toInstant();
        if (!now.isBefore(notAfter)) return "it expired on " + notAfter;
        if (Duration.between(now, notAfter).compareTo(MIN_REMAINING) < 0) return "it expires on " + notAfter;
        if (now.isBefore(notBefore)) return "it is not valid until " + notBefore + " (has the clock gone back?)";
        if (!NAMES.equals(names(cert))) return "it does not name exactly localhost, 127.0.0.1 and ::1";
        return null;
    }

    /** The subject alternative names as (type, value) pairs, IP addresses in Java's canonical text. */
    private static Set<List<Object>> names(X509Certificate cert) {
        Set<List<Object>> names = new HashSet<>();
        try {
            Collection<List<?>> alternatives = cert.getSubjectAlternativeNames();
            if (alternatives == null) return names;
            for (List<?> name : alternatives) {
                Object type = name.get(0);
                Object value = name.get(1);
                if (type.equals(GeneralName.iPAddress) && value instanceof String ip) {
                    value = InetAddress.getByName(ip).getHostAddress(); // a literal: no lookup
                }
                names.add(List.of(type, value));
            }
        } catch (CertificateParsingException | UnknownHostException e) {
            names.add(List.of(-1, TlsPem.oneLine(e)));
        }
        return names;
    }

    // ------------------------------------------------------------------ making one

    /**
     * A new key pair and certificate: EC P-256, SHA256withECDSA, CN=localhost with the {@link #NAMES}, a random
     * serial, an end-entity certificate for TLS servers ({@code CA:false}, digitalSignature, serverAuth) valid from
     * an hour ago for {@link #VALIDITY}.
     */
    static TlsMaterial generate(Clock clock) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair pair = generator.generateKeyPair();

            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            X500Name subject = new X500Name("CN=" + HOST);
            BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE); // positive, at most 16 bytes
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, HOST),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.iPAddress, "::1")}))
                    // key identifiers: strict verifiers (OpenSSL's X509_STRICT, Python 3.13) expect them
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(pair.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new TlsMaterial(List.of(cert), pair.getPrivate(), null);
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new TlsException("cannot create a self-signed TLS certificate: " + TlsPem.oneLine(e), e);
        }
    }

    // ------------------------------------------------------------------ files

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Creates {@code dir} (owner-only where the file system has modes) unless it exists. */
    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Files.createDirectories(dir.getParent());
        try {
            if (posix(dir)) Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
            else Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
        }
    }

    /**
     * Writes {@code text} to a temporary file beside {@code target} that has {@code permissions} from its creation
     * (where the file system has modes), flushes it to disk and moves it over {@code target}, so readers see the old
     * file or the new one, never a part, and a key is never readable by others even for a moment.
     */
    private static void writeAtomically(Path target, String text, Set<PosixFilePermission> permissions)
            throws IOException {
        Path dir = target.getParent();
        String prefix = "." + target.getFileName() + ".";
        Path temp = posix(dir)
                ? Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, prefix, ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) channel.write(bytes);
                channel.force(true);
            }
            if (posix(dir)) Files.setPosixFilePermissions(temp, permissions);
            try {
                Files.move(temp, target, ATOMIC_MOVE, REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
