/**
 * What the ND4J runtime of a JVM can do, checked before work starts: {@link org.imagepipeline.runtime.FastPath}
 * proves DL4J's fast oneDNN (CPU) or cuDNN (CUDA) layer helpers are in use, and
 * {@link org.imagepipeline.runtime.GpuSupport} reads the GPU's compute capability and refuses the
 * ones the released CUDA backend has no kernels for. The compatibility class that repairs DL4J
 * M2.1's oneDNN check has to keep the name DL4J looks up, {@code org.nd4j.nativeblas.Nd4jCpu}, and so
 * lives beside this package in the same module.
 */
package org.imagepipeline.runtime;
