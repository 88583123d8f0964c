package org.imagepipeline.config;

import com.typesafe.config.ConfigFactory;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How jobs reach HDFS and S3 (s3a): endpoint, addressing and credentials for s3a, and the retry
 * and timeout bounds that make an unreachable NameNode or S3 endpoint fail within tens of seconds
 * instead of retrying for a quarter of an hour. {@link #hadoopProperties()} turns them into Hadoop
 * configuration keys, which the Spark session applies before any filesystem is opened.
 *
 * <p>{@link #toString()} never shows the access key, secret key or session token.
 *
 * @param s3aEndpoint               host[:port] or http(s)://host[:port]; empty = AWS's endpoint for the region
 * @param s3aRegion                 signing region; empty = s3a's choice
 * @param s3aPathStyleAccess        bucket in the path rather than the host name (S3-compatible servers)
 * @param s3aAccessKey              static credentials; empty (with the secret key) = the credentials provider chain
 * @param s3aSecretKey              secret of the access key
 * @param s3aSessionToken           session token of temporary credentials; empty = none
 * @param s3aCredentialsProvider    comma-separated provider classes; empty = s3a's default chain
 * @param s3aAttemptsMaximum        AWS SDK attempts per request (fs.s3a.attempts.maximum)
 * @param s3aRetryLimit             s3a's own retries of a failed operation (fs.s3a.retry.limit)
 * @param s3aConnectionTimeoutSeconds socket read timeout
 * @param s3aEstablishTimeoutSeconds  TCP connect timeout
 * @param hdfsConnectMaxRetries     connection attempts to a NameNode that refuses (1 s apart)
 * @param hdfsConnectTimeoutSeconds TCP connect timeout to a NameNode
 * @param hdfsConnectMaxRetriesOnTimeouts connection attempts to a NameNode that does not answer
 */
public record StorageSettings(String s3aEndpoint, String s3aRegion, boolean s3aPathStyleAccess,
                              String s3aAccessKey, String s3aSecretKey, String s3aSessionToken,
                              String s3aCredentialsProvider, int s3aAttemptsMaximum, int s3aRetryLimit,
                              int s3aConnectionTimeoutSeconds, int s3aEstablishTimeoutSeconds,
                              int hdfsConnectMaxRetries, int hdfsConnectTimeoutSeconds,
                              int hdfsConnectMaxRetriesOnTimeouts) implements Serializable {

    /** What a saved config.conf and every message show instead of a secret. */
    public static final String REDACTED = "<redacted>";
    /** Config keys whose values are secret; redacted wherever settings are shown or saved. */
    static final String[] SECRET_KEYS = {
            "pipeline.storage.s3a.access-key", "pipeline.storage.s3a.secret-key", "pipeline.storage.s3a.session-token"};
    /** Setting names (here and in pipeline.spark.conf) that hold secrets, as Spark's own redaction sees them. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)secret|password|token|access[.-]key");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+(:\\d{1,5})?");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]*");
    private static final Pattern CLASS_LIST =
            Pattern.compile("\\s*[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*(\\s*,\\s*[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*)*\\s*");

    /** The defaults of reference.conf: bounded retries, nothing else set. */
    public static StorageSettings defaults() {
        ConfigReader r = new ConfigReader(ConfigFactory.defaultReference(StorageSettings.class.getClassLoader()));
        StorageSettings s = read(r);
        if (!r.errors().isEmpty()) throw new SettingsException(r.errors());
        return s;
    }

    static StorageSettings read(ConfigReader r) {
        String p = "pipeline.storage.s3a.";
        String endpoint = r.string(p + "endpoint").trim();
        if (!endpoint.isEmpty() && !validEndpoint(endpoint)) {
            r.fail(p + "endpoint", "empty, host[:port] or http(s)://host[:port]");
        }
        String region = r.string(p + "region").trim();
        if (!REGION.matcher(region).matches()) r.fail(p + "region", "an AWS region name such as eu-west-1, or empty");
        boolean pathStyle = r.bool(p + "path-style-access");
        // Secrets: read like any string, but never echoed in a message.
        String accessKey = r.string(p + "access-key").trim();
        String secretKey = r.string(p + "secret-key").trim();
        String sessionToken = r.string(p + "session-token").trim();
        if (accessKey.isEmpty() != secretKey.isEmpty()) {
            r.errors().add(p + (accessKey.isEmpty() ? "access-key" : "secret-key") + ": expected it to be set too, because "
                    + p + (accessKey.isEmpty() ? "secret-key" : "access-key")
                    + " is (both, or neither to use the credentials provider chain; values not shown)");
        }
        if (!sessionToken.isEmpty() && accessKey.isEmpty()) {
            r.errors().add(p + "session-token: expected access-key and secret-key with it (values not shown)");
        }
        String provider = r.string(p + "credentials-provider").trim();
        if (!provider.isEmpty() && !CLASS_LIST.matcher(provider).matches()) {
            r.fail(p + "credentials-provider", "empty or a comma-separated list of class names");
        }
        String h = "pipeline.storage.hdfs.";
        return new StorageSettings(endpoint, region, pathStyle, accessKey, secretKey, sessionToken,
                provider.replaceAll("\\s+", ""),
                r.int32(p + "attempts-maximum", 0, 100), r.int32(p + "retry-limit", 0, 100),
                r.int32(p + "connection-timeout-seconds", 1, 3600), r.int32(p + "establish-timeout-seconds", 1, 3600),
                r.int32(h + "connect-max-retries", 0, 100), r.int32(h + "connect-timeout-seconds", 1, 3600),
                r.int32(h + "connect-max-retries-on-timeouts", 0, 100));
    }

    private static boolean validEndpoint(String endpoint) {
        if (!endpoint.contains("://")) return HOST_PORT.matcher(endpoint).matches();
        try {
            URI u = new URI(endpoint);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null
                    && (u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/"))
                    && u.getQuery() == null && u.getUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * The Hadoop configuration these settings stand for. Empty endpoint, region, keys and provider
     * (and path-style access off) add nothing, so core-site.xml or s3a's defaults decide; the
     * retry and timeout bounds are always set.
     */
    public Map<String, String> hadoopProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        if (!s3aEndpoint.isEmpty()) m.put("fs.s3a.endpoint", s3aEndpoint);
        if (!s3aRegion.isEmpty()) m.put("fs.s3a.endpoint.region", s3aRegion);
        if (s3aPathStyleAccess) m.put("fs.s3a.path.style.access", "true");
        if (!s3aAccessKey.isEmpty()) {
            m.put("fs.s3a.access.key", s3aAccessKey);
            m.put("fs.s3a.secret.key", s3aSecretKey);
        }
        if (!s3aSessionToken.isEmpty()) m.put("fs.s3a.session.token", s3aSessionToken);
        if (!s3aCredentialsProvider.isEmpty()) m.put("fs.s3a.aws.credentials.provider", s3aCredentialsProvider);
        m.put("fs.s3a.attempts.maximum", Integer.toString(s3aAttemptsMaximum));
        m.put("fs.s3a.retry.limit", Integer.toString(s3aRetryLimit));
        m.put("fs.s3a.connection.timeout", Integer.toString(s3aConnectionTimeoutSeconds * 1000));
        m.put("fs.s3a.connection.establish.timeout", Integer.toString(s3aEstablishTimeoutSeconds * 1000));
        m.put("ipc.client.connect.max.retries", Integer.toString(hdfsConnectMaxRetries));
        m.put("ipc.client.connect.timeout", Integer.toString(hdfsConnectTimeoutSeconds * 1000));
        m.put("ipc.client.connect.max.retries.on.timeouts", Integer.toString(hdfsConnectMaxRetriesOnTimeouts));
        return m;
    }

    /** Whether a setting's name says it holds a secret (fs.s3a.secret.key, spark.hadoop.fs.s3a.access.key, a password...). */
    public static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).find();
    }

    private static String shown(String secret) {
        return secret.isEmpty() ? "" : REDACTED;
    }

    @Override
    public String toString() {
        return "StorageSettings[s3aEndpoint=" + s3aEndpoint + ", s3aRegion=" + s3aRegion
                + ", s3aPathStyleAccess=" + s3aPathStyleAccess + ", s3aAccessKey=" + shown(s3aAccessKey)
                + ", s3aSecretKey=" + shown(s3aSecretKey) + ", s3aSessionToken=" + shown(s3aSessionToken)
                + ", s3aCredentialsProvider=" + s3aCredentialsProvider + ", s3aAttemptsMaximum=" + s3aAttemptsMaximum
                + ", s3aRetryLimit=" + s3aRetryLimit + ", s3aConnectionTimeoutSeconds=" + s3aConnectionTimeoutSeconds
                + ", s3aEstablishTimeoutSeconds=" + s3aEstablishTimeoutSeconds
                + ", hdfsConnectMaxRetries=" + hdfsConnectMaxRetries + ", hdfsConnectTimeoutSeconds=" + hdfsConnectTimeoutSeconds
                + ", hdfsConnectMaxRetriesOnTimeouts=" + hdfsConnectMaxRetriesOnTimeouts + "]";
    }
}
