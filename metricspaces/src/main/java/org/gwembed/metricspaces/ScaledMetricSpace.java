package org.gwembed.metricspaces;

import java.util.List;
import java.util.Optional;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.gwembed.core.Require;

/** A view of a space with all distances multiplied by a constant factor. */
final class ScaledMetricSpace implements MetricSpace {

    private final MetricSpace base;
    private final double factor;

    private ScaledMetricSpace(MetricSpace base, double factor) {
        this.base = base;
        this.factor = factor;
    }

    static MetricSpace of(MetricSpace base, double factor) {
        Require.nonNull(base, "space");
        Require.positive(factor, "factor");
        if (base instanceof ScaledMetricSpace s) {
            return new ScaledMetricSpace(s.base, s.factor * factor);
        }
        if (base instanceof DenseMetricSpace d) {
            return d.scaled(factor);
        }
        return new ScaledMetricSpace(base, factor);
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public double distance(int i, int j) {
        return factor * base.distance(i, j);
    }

    @Override
    public DMatrixRMaj distanceMatrix() {
        DMatrixRMaj d = base.distanceMatrix();
        CommonOps_DDRM.scale(factor, d);
        return d;
    }

    @Override
    public double maxDistance() {
        return factor * base.maxDistance();
    }

    @Override
    public Optional<Coordinates> coordinates() {
        return base.coordinates().map(c -> {
            if (c.kind() != Coordinates.Kind.EUCLIDEAN) {
                return c; // directions and angles do not change when distances are scaled
            }
            DMatrixRMaj v = c.values().copy();
            CommonOps_DDRM.scale(factor, v);
            return new Coordinates(v, c.names(), c.kind());
        });
    }

    @Override
    public List<StructureHint> structure() {
        return base.structure().stream().map(h -> h.scaled(factor)).toList();
    }

    @Override
    public String description() {
        return base.description() + " scaled by " + factor;
    }
}
