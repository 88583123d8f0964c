package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1's oneDNN check, not an ND4J binding.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by name and calls
 * {@code getInstance().isUseMKLDNN()} on it. ND4J M2.1 moved that class to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment}, so without this class the
 * lookup fails, DL4J remembers the failure for the life of the JVM, and every layer falls back
 * to its slow built-in implementation even when ND4J was built with oneDNN.
 *
 * <p>This class lives in the old package and answers from the new one (whose getter M2.1 also
 * renamed, to {@code isUseONEDNN}). It reaches the new class by reflection, so the same source
 * compiles and runs against the CUDA backend, where the CPU bindings are absent and the answer
 * is {@code false}. Nothing else should use it; call
 * {@link org.imagepipeline.runtime.FastPath} instead.
 */
public final class Nd4jCpu {

    /** The class ND4J M2.1 actually ships; loaded reflectively so CUDA builds still compile. */
    static final String BINDINGS_ENVIRONMENT = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

    private Nd4jCpu() {
    }

    /** The subset of the old {@code Nd4jCpu.Environment} that DL4J's oneDNN check calls. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        /** The single instance, like the native environment it stands in for. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * Whether the loaded libnd4j was built with oneDNN and uses it. {@code false} when the
         * CPU bindings are not on the class path (CUDA backend) or cannot be queried.
         */
        public boolean isUseMKLDNN() {
            Class<?> env = bindingsEnvironment();
            if (env == null) {
                return false;
            }
            try {
                Object instance = env.getMethod("getInstance").invoke(null);
                return Boolean.TRUE.equals(useOneDnnGetter(env).invoke(instance));
            } catch (ReflectiveOperationException | LinkageError e) {
                // Natives that failed to load: no oneDNN either way.
                return false;
            }
        }

        /**
         * The getter that reports oneDNN use: M2.1 renamed it to {@code isUseONEDNN}; older and
         * possibly newer bindings call it {@code isUseMKLDNN}.
         */
        private static Method useOneDnnGetter(Class<?> env) throws NoSuchMethodException {
            try {
                return env.getMethod("isUseONEDNN");
            } catch (NoSuchMethodException e) {
                return env.getMethod("isUseMKLDNN");
            }
        }

        /**
         * The bindings class from this class's loader or, failing that, the thread's (Spark
         * executors load user jars in a child loader); {@code null} where neither has it.
         */
        private static Class<?> bindingsEnvironment() {
            ClassLoader[] loaders = {Nd4jCpu.class.getClassLoader(), Thread.currentThread().getContextClassLoader()};
            for (ClassLoader loader : loaders) {
                if (loader == null) {
                    continue;
                }
                try {
                    return Class.forName(BINDINGS_ENVIRONMENT, true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    // try the next loader
                }
            }
            return null;
        }
    }
}
