/**
 * What every training flow shares: the run lifecycle, dl4j-spark's parameter-averaging training
 * masters as this project configures them, and the one source of training, validation and test
 * pairs. Restoration and GAN training build on it; it depends on neither.
 */
package org.imagepipeline.train;
