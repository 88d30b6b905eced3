/**
 * Collections of problems on one code path and two engines (issue 19): a {@link org.gwembed.batch.BatchJob} is a
 * list of independent tasks (the pairs {@code i < j} of a collection, or the points of a parameter sweep), each run
 * through the single-problem API ({@code GromovWasserstein}, its variants, {@code JointEmbedding}); an
 * {@link org.gwembed.batch.Engine} runs them on a thread pool in this JVM ({@link org.gwembed.batch.LocalEngine})
 * or on Apache Spark ({@link org.gwembed.batch.SparkEngine}); every finished task is appended to a
 * {@link org.gwembed.batch.ResultLog} at once, so a killed run can be resumed. The only package of the project that
 * knows about Spark.
 */
package org.gwembed.batch;
