package org.imagepipeline.data;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * Carries the driver's Hadoop {@link Configuration} (credentials, s3a endpoints, HDFS addresses
 * from {@code spark.hadoop.*}) to executors, which must open files exactly as the driver listed
 * them. Broadcast it once per job rather than capturing it in every closure.
 */
public final class SerializableHadoopConf implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient Configuration conf;

    public SerializableHadoopConf(Configuration conf) {
        this.conf = conf;
    }

    public Configuration get() {
        return conf;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
