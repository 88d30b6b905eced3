package org.gwembed.batch;

/**
 * The pair {@code (i, j)} of a collection ({@code i < j}, or {@code i == j} for a diagonal check).
 *
 * @param i    first member
 * @param j    second member
 * @param cost the cost model's estimate ({@link PairSpec#cost})
 */
public record PairTask(int i, int j, long cost) implements Task {

    private static final long serialVersionUID = 1L;

    @Override
    public String key() {
        return i + ":" + j;
    }
}
