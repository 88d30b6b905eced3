package org.gwembed.solvers;

import java.util.Arrays;

import org.gwembed.metricspaces.MetricSpace;

/**
 * The data points of a plan in chunks of {@link Tuning#CHUNK}, ordered so that a chunk's supports overlap: by the
 * locality rank ({@link #localityRank}) of the grid point holding each data point's largest entry. Data points
 * without kept entries are left out. {@code support[c]} lists the grid points where some member of chunk {@code c}
 * has a kept entry; {@code work} is the multiply–adds per data-point coordinate of the chunked product.
 */
record PlanChunks(int[][] members, int[][] support, long work) {

    static PlanChunks of(PlanSupport plan, int[] rank) {
        int chunk = Tuning.CHUNK;
        long[] keys = new long[plan.data];
        int used = 0;
        for (int i = 0; i < plan.data; i++) {
            if (plan.kept[i] > 0) {
                int r = rank == null ? plan.argmax[i] : rank[plan.argmax[i]];
                keys[used++] = ((long) r << 32) | i;
            }
        }
        Arrays.sort(keys, 0, used);
        int count = (used + chunk - 1) / chunk;
        int[][] members = new int[count][];
        int[] chunkOf = new int[plan.data];
        for (int c = 0; c < count; c++) {
            int from = c * chunk;
            members[c] = new int[Math.min(chunk, used - from)];
            for (int t = 0; t < members[c].length; t++) {
                int i = (int) keys[from + t];
                members[c][t] = i;
                chunkOf[i] = c;
            }
        }
        boolean[] has = new boolean[count * plan.grid];
        for (int a = 0; a < (plan.dataMajor ? plan.data : plan.grid); a++) {
            int off = a * (plan.dataMajor ? plan.grid : plan.data);
            for (int b = 0; b < (plan.dataMajor ? plan.grid : plan.data); b++) {
                if (plan.keeps(off + b)) {
                    int i = plan.dataMajor ? a : b;
                    int k = plan.dataMajor ? b : a;
                    has[chunkOf[i] * plan.grid + k] = true;
                }
            }
        }
        int[][] support = new int[count][];
        long work = 0;
        for (int c = 0; c < count; c++) {
            int s = 0;
            for (int k = 0; k < plan.grid; k++) {
                s += has[c * plan.grid + k] ? 1 : 0;
            }
            support[c] = new int[s];
            s = 0;
            for (int k = 0; k < plan.grid; k++) {
                if (has[c * plan.grid + k]) {
                    support[c][s++] = k;
                }
            }
            work += (long) s * members[c].length;
        }
        return new PlanChunks(members, support, work);
    }

    /** The widest support of a chunk. */
    int widest() {
        int widest = 0;
        for (int[] s : support) {
            widest = Math.max(widest, s.length);
        }
        return widest;
    }

    /**
     * A rank of the points of X such that points of nearby rank are near each other, for ordering data points by
     * where their plans put their mass: the points are grouped around ⌈N/16⌉ centres chosen by farthest-point
     * sampling (each point joins its nearest centre), the groups are chained from the first centre to the nearest
     * unvisited one, and ranked in that order (by index within a group). Deterministic; O(N²/16) distances.
     */
    static int[] localityRank(MetricSpace x) {
        int big = x.size();
        int groups = Math.max(1, (big + 15) / 16);
        int[] centres = new int[groups];
        double[] nearest = new double[big];
        int[] owner = new int[big];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        int next = 0;
        for (int g = 0; g < groups; g++) {
            centres[g] = next;
            int far = next;
            double farthest = -1;
            for (int k = 0; k < big; k++) {
                double dk = x.distance(centres[g], k);
                if (dk < nearest[k]) {
                    nearest[k] = dk;
                    owner[k] = g;
                }
                if (nearest[k] > farthest) {
                    farthest = nearest[k];
                    far = k;
                }
            }
            next = far;
        }
        // chain the groups: from the first centre always to the nearest unvisited one
        int[] position = new int[groups];
        boolean[] visited = new boolean[groups];
        int current = 0;
        for (int step = 0; step < groups; step++) {
            visited[current] = true;
            position[current] = step;
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int g = 0; g < groups; g++) {
                if (!visited[g]) {
                    double dg = x.distance(centres[current], centres[g]);
                    if (dg < bestDistance) {
                        bestDistance = dg;
                        best = g;
                    }
                }
            }
            current = best;
            if (best < 0) {
                break;
            }
        }
        long[] keys = new long[big];
        for (int k = 0; k < big; k++) {
            keys[k] = ((long) position[owner[k]] << 32) | k;
        }
        Arrays.sort(keys);
        int[] rank = new int[big];
        for (int r = 0; r < big; r++) {
            rank[(int) keys[r]] = r;
        }
        return rank;
    }
}
