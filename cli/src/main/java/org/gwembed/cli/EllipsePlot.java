package org.gwembed.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small Java2D plot of 2D Gaussians drawn as their 2σ ellipses ({@code (x − m)ᵀ Σ⁻¹ (x − m) = 4}), optionally
 * over a point cloud, with equal axis scales, a frame and tick labels. XChart has no ellipse series, hence Java2D.
 */
final class EllipsePlot {

    /** One ellipse: centre, covariance {@code {Σ11, Σ12, Σ22}}, colour (with alpha) and line width in pixels. */
    record Ellipse(double mx, double my, double[] cov, Color color, float lineWidth, boolean filled) {
    }

    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 45;

    private final String title;
    private final List<String> notes = new ArrayList<>();
    private final List<double[]> points = new ArrayList<>();
    private final List<Ellipse> ellipses = new ArrayList<>();
    private double[] box;

    EllipsePlot(String title) {
        this.title = title;
    }

    /** Points drawn as small grey dots (rows of {@code xy}: x, y). */
    EllipsePlot points(double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            points.add(new double[] {x[i], y[i]});
        }
        return this;
    }

    EllipsePlot ellipse(Ellipse e) {
        ellipses.add(e);
        return this;
    }

    /** A line of text under the title. */
    EllipsePlot note(String text) {
        notes.add(text);
        return this;
    }

    /** Fixes the data box {@code {xmin, xmax, ymin, ymax}} (otherwise: points and ellipses with a margin). */
    EllipsePlot box(double xmin, double xmax, double ymin, double ymax) {
        box = new double[] {xmin, xmax, ymin, ymax};
        return this;
    }

    /** Semi-axes (2σ) and angle of the ellipse of a covariance: {@code {a, b, theta}}. */
    static double[] axes(double[] cov) {
        double a = cov[0];
        double b = cov[1];
        double c = cov[2];
        double mid = (a + c) / 2;
        double rad = Math.sqrt(((a - c) / 2) * ((a - c) / 2) + b * b);
        double l1 = Math.max(0, mid + rad);
        double l2 = Math.max(0, mid - rad);
        double theta = 0.5 * Math.atan2(2 * b, a - c);
        return new double[] {2 * Math.sqrt(l1), 2 * Math.sqrt(l2), theta};
    }

    BufferedImage render(int width, int height) {
        double[] bx = box != null ? box.clone() : bounds();
        int top = TOP + 14 * notes.size();
        int pw = width - LEFT - RIGHT;
        int ph = height - top - BOTTOM;
        double dx = Math.max(bx[1] - bx[0], 1e-12);
        double dy = Math.max(bx[3] - bx[2], 1e-12);
        double scale = Math.min(pw / dx, ph / dy);
        // centre the (equal-aspect) data box in the plot area
        double ox = LEFT + (pw - dx * scale) / 2;
        double oy = top + (ph - dy * scale) / 2;
        AffineTransform toPixels = new AffineTransform(scale, 0, 0, -scale, ox - bx[0] * scale,
                oy + dy * scale + bx[2] * scale);

        BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Plots.whiteCanvas(im);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, 10, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int t = 0; t < notes.size(); t++) {
            g.drawString(notes.get(t), 10, 33 + 14 * t);
        }
        Rectangle2D frame = new Rectangle2D.Double(ox, oy, dx * scale, dy * scale);
        g.setColor(new Color(250, 250, 250));
        g.fill(frame);
        ticks(g, bx, ox, oy, scale);
        g.setClip(frame);
        g.setColor(new Color(120, 120, 120, 150));
        for (double[] p : points) {
            double[] q = new double[2];
            toPixels.transform(p, 0, q, 0, 1);
            g.fill(new Ellipse2D.Double(q[0] - 1.5, q[1] - 1.5, 3, 3));
        }
        for (Ellipse e : ellipses) {
            double[] ax = axes(e.cov());
            AffineTransform t = new AffineTransform(toPixels);
            t.translate(e.mx(), e.my());
            t.rotate(ax[2]);
            Shape s = t.createTransformedShape(new Ellipse2D.Double(-ax[0], -Math.max(ax[1], 1e-9),
                    2 * ax[0], 2 * Math.max(ax[1], 1e-9)));
            if (e.filled()) {
                Color c = e.color();
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), Math.max(1, c.getAlpha() / 4)));
                g.fill(s);
            }
            g.setColor(e.color());
            g.setStroke(new BasicStroke(e.lineWidth()));
            g.draw(s);
            double[] c = new double[2];
            toPixels.transform(new double[] {e.mx(), e.my()}, 0, c, 0, 1);
            g.fill(new Ellipse2D.Double(c[0] - 1.5, c[1] - 1.5, 3, 3));
        }
        g.setClip(null);
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.DARK_GRAY);
        g.draw(frame);
        g.dispose();
        return im;
    }

    private void ticks(Graphics2D g, double[] bx, double ox, double oy, double scale) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        FontMetrics fm = g.getFontMetrics();
        double bottom = oy + (bx[3] - bx[2]) * scale;
        for (double v : tickValues(bx[0], bx[1])) {
            int px = (int) Math.round(ox + (v - bx[0]) * scale);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(px, (int) oy, px, (int) bottom);
            g.setColor(Color.DARK_GRAY);
            String s = label(v);
            g.drawString(s, px - fm.stringWidth(s) / 2, (int) bottom + 14);
        }
        for (double v : tickValues(bx[2], bx[3])) {
            int py = (int) Math.round(bottom - (v - bx[2]) * scale);
            g.setColor(new Color(225, 225, 225));
            g.drawLine((int) ox, py, (int) (ox + (bx[1] - bx[0]) * scale), py);
            g.setColor(Color.DARK_GRAY);
            String s = label(v);
            g.drawString(s, (int) ox - fm.stringWidth(s) - 4, py + 4);
        }
    }

    private static List<Double> tickValues(double lo, double hi) {
        double span = hi - lo;
        double raw = span / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        List<Double> out = new ArrayList<>();
        for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) {
            out.add(Math.abs(v) < 1e-12 * step ? 0 : v);
        }
        return out;
    }

    private static String label(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private double[] bounds() {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (double[] p : points) {
            include(b, p[0], p[1]);
        }
        for (Ellipse e : ellipses) {
            double[] ax = axes(e.cov());
            include(b, e.mx() - ax[0], e.my() - ax[0]);
            include(b, e.mx() + ax[0], e.my() + ax[0]);
        }
        if (!(b[0] <= b[1])) {
            return new double[] {0, 1, 0, 1};
        }
        double mx = 0.05 * Math.max(b[1] - b[0], b[3] - b[2]) + 1e-9;
        return new double[] {b[0] - mx, b[1] + mx, b[2] - mx, b[3] + mx};
    }

    private static void include(double[] b, double x, double y) {
        b[0] = Math.min(b[0], x);
        b[1] = Math.max(b[1], x);
        b[2] = Math.min(b[2], y);
        b[3] = Math.max(b[3], y);
    }
}
