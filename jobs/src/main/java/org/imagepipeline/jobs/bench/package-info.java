/**
 * Benchmarks: runnable measurements of speed on the current machine, kept out of the test suite
 * because their numbers depend on the hardware and its load.
 */
package org.imagepipeline.jobs.bench;
