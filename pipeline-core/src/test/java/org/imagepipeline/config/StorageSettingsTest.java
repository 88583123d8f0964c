package org.imagepipeline.config;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageSettingsTest {
    private static final String ACCESS = "AKIDEXAMPLE1234";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG//bPxRfiCYzEXAMPLEKEY";

    private static PipelineSettings withKeys(Map<String, String> extra) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("storage.s3a.endpoint", "http://127.0.0.1:9000");
        o.put("storage.s3a.path-style-access", "true");
        o.put("storage.s3a.access-key", ACCESS);
        o.put("storage.s3a.secret-key", SECRET);
        o.putAll(extra);
        return PipelineSettings.load(List.of(), o);
    }

    @Test
    void defaultsBoundRetriesAndSetNothingElse() {
        Map<String, String> h = PipelineSettings.load(List.of(), Map.of()).storage().hadoopProperties();
        assertEquals("3", h.get("fs.s3a.attempts.maximum"));
        assertEquals("3", h.get("fs.s3a.retry.limit"));
        assertEquals("5000", h.get("fs.s3a.connection.establish.timeout"));
        assertEquals("60000", h.get("fs.s3a.connection.timeout"));
        assertEquals("5", h.get("ipc.client.connect.max.retries"));
        assertEquals("10000", h.get("ipc.client.connect.timeout"));
        assertEquals("3", h.get("ipc.client.connect.max.retries.on.timeouts"));
        for (String k : List.of("fs.s3a.endpoint", "fs.s3a.path.style.access", "fs.s3a.access.key", "fs.s3a.secret.key",
                "fs.s3a.aws.credentials.provider", "fs.s3a.endpoint.region")) {
            assertFalse(h.containsKey(k), k + " must be left to core-site.xml / s3a when not configured");
        }
        assertEquals(StorageSettings.defaults(), PipelineSettings.load(List.of(), Map.of()).storage());
    }

    @Test
    void s3aSettingsBecomeHadoopKeys() {
        StorageSettings s = withKeys(Map.of("storage.s3a.region", "eu-west-1", "storage.s3a.retry-limit", "1",
                "storage.s3a.credentials-provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")).storage();
        Map<String, String> h = s.hadoopProperties();
        assertEquals("http://127.0.0.1:9000", h.get("fs.s3a.endpoint"));
        assertEquals("eu-west-1", h.get("fs.s3a.endpoint.region"));
        assertEquals("true", h.get("fs.s3a.path.style.access"));
        assertEquals(ACCESS, h.get("fs.s3a.access.key"));
        assertEquals(SECRET, h.get("fs.s3a.secret.key"), "a secret is taken verbatim, '//' included");
        assertEquals("org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider", h.get("fs.s3a.aws.credentials.provider"));
        assertEquals("1", h.get("fs.s3a.retry.limit"));
    }

    @Test
    void secretsAreRedactedInTheSavedConfigAndInEveryString() {
        PipelineSettings s = withKeys(Map.of("storage.s3a.session-token", "TOKEN-abc-123",
                "spark.conf.\"spark.hadoop.fs.s3a.bucket.other.secret.key\"", "OTHER-SECRET-999",
                "spark.conf.\"spark.executor.memory\"", "2g"));
        for (String shown : List.of(s.rendered(), s.toString(), s.storage().toString(), s.spark().toString())) {
            assertFalse(shown.contains(SECRET), shown);
            assertFalse(shown.contains(ACCESS), shown);
            assertFalse(shown.contains("TOKEN-abc-123"), shown);
            assertFalse(shown.contains("OTHER-SECRET-999"), shown);
        }
        assertTrue(s.rendered().contains("secret-key=\"<redacted>\""), s.rendered());
        assertTrue(s.rendered().contains("\"spark.hadoop.fs.s3a.bucket.other.secret.key\"=\"<redacted>\""), s.rendered());
        // What is not secret stays, so the saved config still says how the run reached its data.
        assertTrue(s.rendered().contains("endpoint=\"http://127.0.0.1:9000\""), s.rendered());
        assertTrue(s.rendered().contains("\"spark.executor.memory\"=\"2g\""), s.rendered());
        // The typed settings keep the real values: the job needs them.
        assertEquals("OTHER-SECRET-999", s.spark().conf().get("spark.hadoop.fs.s3a.bucket.other.secret.key"));

        // A saved config.conf loads again as settings (keys redacted, but consistent).
        PipelineSettings reloaded = PipelineSettings.from(ConfigFactory.parseString(s.rendered())
                .withFallback(ConfigFactory.defaultReference()).resolve());
        assertEquals(StorageSettings.REDACTED, reloaded.storage().s3aSecretKey());
        assertEquals("http://127.0.0.1:9000", reloaded.storage().s3aEndpoint());
    }

    @Test
    void badStorageSettingsAreReportedTogetherWithoutShowingSecrets() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("storage.s3a.endpoint", "ftp://127.0.0.1:9000");
        o.put("storage.s3a.secret-key", SECRET);
        o.put("storage.s3a.credentials-provider", "not a class;");
        o.put("storage.s3a.attempts-maximum", "-1");
        o.put("storage.hdfs.connect-timeout-seconds", "0");
        o.put("storage.s3a.secret_key", SECRET);
        SettingsException e = assertThrows(SettingsException.class, () -> PipelineSettings.load(List.of(), o));
        String msg = e.getMessage();
        assertTrue(msg.contains("pipeline.storage.s3a.endpoint: expected empty, host[:port] or http(s)://host[:port]"), msg);
        assertTrue(msg.contains("pipeline.storage.s3a.access-key: expected it to be set too"), msg);
        assertTrue(msg.contains("pipeline.storage.s3a.credentials-provider: expected empty or a comma-separated list"), msg);
        assertTrue(msg.contains("pipeline.storage.s3a.attempts-maximum: expected an integer in [0, 100], got -1"), msg);
        assertTrue(msg.contains("pipeline.storage.hdfs.connect-timeout-seconds: expected an integer in [1, 3600]"), msg);
        assertTrue(msg.contains("pipeline.storage.s3a.secret_key: unknown key"), msg);
        assertFalse(msg.contains(SECRET), msg);
    }

    @Test
    void endpointForms() {
        for (String ok : List.of("s3.eu-west-1.amazonaws.com", "minio:9000", "https://s3.example.com", "http://10.0.0.5:9000/")) {
            assertEquals(ok, PipelineSettings.load(List.of(), Map.of("storage.s3a.endpoint", ok)).storage().s3aEndpoint());
        }
        for (String bad : List.of("http://", "s3://bucket", "http://host:9000/path", "host name")) {
            assertThrows(SettingsException.class, () -> PipelineSettings.load(List.of(), Map.of("storage.s3a.endpoint", bad)), bad);
        }
    }
}
