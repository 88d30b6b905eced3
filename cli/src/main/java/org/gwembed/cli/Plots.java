package org.gwembed.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.AtomicFiles;
import org.gwembed.metricspaces.Coordinates;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots of the command line: scatter plots with XChart (masses on a grid, projections coloured by a value or a
 * label), heat maps of matrices drawn directly into an image (XChart's heat map is too slow for 2000 × 2000).
 * Everything runs headless. Public for the batch module's pictures (heat map, labelled scatter, PNG writer).
 */
public final class Plots {

    /** Grid points with less mass than this are not drawn (a uniform mass on a 50×50 grid is 4e-4). */
    static final double MASS_THRESHOLD = 1e-5;

    /** Colour classes of a mass plot. */
    private static final int MASS_BINS = 8;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Plots() {
    }

    /** A 2D view of some points: coordinates for drawing and the axis names. */
    record View(double[] x, double[] y, String xName, String yName, boolean equalAspect) {
    }

    /**
     * The 2D view of a space's coordinates: plane and Gaussian means as they are; the sphere as the
     * (longitude, colatitude) map; the torus in its (u, v) angles; the circle on the unit circle; other
     * coordinates by their first two columns.
     */
    static View view(Coordinates c) {
        int n = c.size();
        double[] x = new double[n];
        double[] y = new double[n];
        switch (c.kind()) {
            case UNIT_SPHERE -> {
                for (int i = 0; i < n; i++) {
                    double lon = Math.atan2(c.get(i, 1), c.get(i, 0));
                    x[i] = lon < 0 ? lon + 2 * Math.PI : lon;
                    y[i] = Math.acos(Math.max(-1, Math.min(1, c.get(i, 2))));
                }
                return new View(x, y, "longitude", "colatitude", false);
            }
            case ANGLES -> {
                if (c.dimension() == 1) {
                    for (int i = 0; i < n; i++) {
                        x[i] = Math.cos(c.get(i, 0));
                        y[i] = Math.sin(c.get(i, 0));
                    }
                    return new View(x, y, "cos " + c.names().get(0), "sin " + c.names().get(0), true);
                }
                for (int i = 0; i < n; i++) {
                    x[i] = c.get(i, 0);
                    y[i] = c.get(i, 1);
                }
                return new View(x, y, c.names().get(0), c.names().get(1), true);
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    x[i] = c.get(i, 0);
                    y[i] = c.dimension() > 1 ? c.get(i, 1) : 0;
                }
                return new View(x, y, c.names().get(0), c.dimension() > 1 ? c.names().get(1) : "", true);
            }
        }
    }

    /**
     * A scatter plot of a measure on a space: points with mass below {@link #MASS_THRESHOLD} hidden, the others
     * coloured by mass in {@value #MASS_BINS} classes (light yellow to dark red, relative to the maximum, which the
     * title states). Points that share a 2D position (e.g. the
     * covariances of one mean in the space of Gaussians) are summed first.
     */
    static BufferedImage massPlot(String title, View view, double[] mass, int width, int height) {
        return BitmapEncoder.getBufferedImage(massChart(title, view, mass, width, height));
    }

    /** {@link #massPlot}'s chart, before it is drawn (for {@link #writeSvg}). */
    static XYChart massChart(String title, View view, double[] mass, int width, int height) {
        Map<Long, double[]> merged = new LinkedHashMap<>();
        for (int i = 0; i < mass.length; i++) {
            long key = (Math.round(view.x()[i] * 1e9) * 31) ^ Math.round(view.y()[i] * 1e9);
            double[] e = merged.computeIfAbsent(key, k -> new double[] {0, 0, 0});
            e[0] = view.x()[i];
            e[1] = view.y()[i];
            e[2] += mass[i];
        }
        double max = 0;
        for (double[] e : merged.values()) {
            max = Math.max(max, e[2]);
        }
        XYChart chart = scatterChart(title + String.format(" (max mass %.2g)", max), view, width, height, 4);
        chart.getStyler().setLegendVisible(false);
        List<List<double[]>> bins = new ArrayList<>();
        for (int b = 0; b < MASS_BINS; b++) {
            bins.add(new ArrayList<>());
        }
        for (double[] e : merged.values()) {
            if (e[2] < MASS_THRESHOLD || max <= 0) {
                continue;
            }
            int b = Math.min(MASS_BINS - 1, (int) Math.floor(e[2] / max * MASS_BINS));
            bins.get(b).add(e);
        }
        // invisible frame so that the axes show the whole space even where no mass is
        double[] fx = {min(view.x()), max(view.x())};
        double[] fy = {min(view.y()), max(view.y())};
        XYSeries frame = chart.addSeries("frame", fx, fy);
        frame.setMarkerColor(new Color(0, 0, 0, 0));
        frame.setShowInLegend(false);
        for (int b = 0; b < MASS_BINS; b++) {
            List<double[]> pts = bins.get(b);
            if (pts.isEmpty()) {
                continue;
            }
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int t = 0; t < x.length; t++) {
                x[t] = pts.get(t)[0];
                y[t] = pts.get(t)[1];
            }
            String name = String.format("mass < %.1e", max * (b + 1) / MASS_BINS);
            XYSeries s = chart.addSeries(name, x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(ramp((b + 1.0) / MASS_BINS));
        }
        return chart;
    }

    /**
     * Writes charts side by side as one SVG file (vector paths and text, through VectorGraphics2D, which XChart
     * brings along for its VectorGraphicsEncoder), atomically like every other file.
     */
    static void writeSvg(Path file, XYChart... charts) {
        int width = 0;
        int height = 0;
        for (XYChart c : charts) {
            width += c.getWidth();
            height = Math.max(height, c.getHeight());
        }
        de.erichseifert.vectorgraphics2d.VectorGraphics2D g = new de.erichseifert.vectorgraphics2d.VectorGraphics2D();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (XYChart c : charts) {
            Graphics2D part = (Graphics2D) g.create();
            part.translate(x, 0);
            c.paint(part, c.getWidth(), c.getHeight());
            part.dispose();
            x += c.getWidth();
        }
        de.erichseifert.vectorgraphics2d.Document doc = new de.erichseifert.vectorgraphics2d.svg.SVGProcessor()
                .getDocument(g.getCommands(), new de.erichseifert.vectorgraphics2d.util.PageSize(0, 0, width, height));
        try {
            AtomicFiles.write(file, doc::writeTo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Points of a view coloured by {@code values} in 10 classes (e.g. a surface parameter). */
    static BufferedImage valuePlot(String title, View view, double[] values, String valueName, int width,
            int height) {
        return BitmapEncoder.getBufferedImage(valueChart(title, view, values, valueName, width, height));
    }

    /** {@link #valuePlot}'s chart, before it is drawn (for {@link #writeSvg}). */
    static XYChart valueChart(String title, View view, double[] values, String valueName, int width, int height) {
        int classes = 10;
        double lo = min(values);
        double hi = max(values);
        XYChart chart = scatterChart(title, view, width, height, 3);
        List<List<Integer>> bins = new ArrayList<>();
        for (int b = 0; b < classes; b++) {
            bins.add(new ArrayList<>());
        }
        for (int i = 0; i < values.length; i++) {
            int b = hi > lo ? Math.min(classes - 1, (int) ((values[i] - lo) / (hi - lo) * classes)) : 0;
            bins.get(b).add(i);
        }
        for (int b = 0; b < classes; b++) {
            List<Integer> idx = bins.get(b);
            if (idx.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(String.format("%s %.3g..%.3g", valueName, lo + (hi - lo) * b / classes,
                    lo + (hi - lo) * (b + 1) / classes), pick(view.x(), idx), pick(view.y(), idx));
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(spectral(b / (classes - 1.0)));
        }
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    /** Points {@code z} coloured by class. */
    public static BufferedImage labelPlot(String title, DMatrixRMaj z, int[] classes, List<String> names, String xName,
            String yName, int width, int height) {
        return labelPlot(title, columns(z, xName, yName), classes, names, width, height);
    }

    /** Points of a view coloured by class. */
    static BufferedImage labelPlot(String title, View view, int[] classes, List<String> names, int width, int height) {
        return BitmapEncoder.getBufferedImage(labelChart(title, view, classes, names, width, height));
    }

    /** {@link #labelPlot}'s chart for points {@code z}, before it is drawn (for {@link #writeSvg}). */
    static XYChart labelChart(String title, DMatrixRMaj z, int[] classes, List<String> names, String xName,
            String yName, int width, int height) {
        return labelChart(title, columns(z, xName, yName), classes, names, width, height);
    }

    /** {@link #labelPlot}'s chart, before it is drawn. */
    static XYChart labelChart(String title, View view, int[] classes, List<String> names, int width, int height) {
        XYChart chart = scatterChart(title, view, width, height, 5);
        if (names.size() > 5) {
            // a horizontal legend below the plot runs off the picture's edge beyond a handful of classes
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        }
        for (int c = 0; c < names.size(); c++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < classes.length; i++) {
                if (classes[i] == c) {
                    idx.add(i);
                }
            }
            if (idx.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries("label " + names.get(c), pick(view.x(), idx), pick(view.y(), idx));
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(categorical(c));
        }
        return chart;
    }

    private static View columns(DMatrixRMaj z, String xName, String yName) {
        double[] x = new double[z.numRows];
        double[] y = new double[z.numRows];
        for (int i = 0; i < z.numRows; i++) {
            x[i] = z.unsafe_get(i, 0);
            y[i] = z.numCols > 1 ? z.unsafe_get(i, 1) : 0;
        }
        return new View(x, y, xName, yName, true);
    }

    private static XYChart scatterChart(String title, View view, int width, int height, int markerSize) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(view.xName())
                .yAxisTitle(view.yName()).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(markerSize);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        chart.getStyler().setAntiAlias(true);
        return chart;
    }

    /** Images side by side on a white background, top-aligned. */
    static BufferedImage sideBySide(BufferedImage... images) {
        return arranged(true, images);
    }

    /** Images stacked top to bottom. */
    static BufferedImage stacked(BufferedImage... images) {
        return arranged(false, images);
    }

    /** Images in a row ({@code across}) or a column on a white background, aligned to the top left. */
    private static BufferedImage arranged(boolean across, BufferedImage... images) {
        int along = 0;
        int thick = 0;
        for (BufferedImage im : images) {
            along += across ? im.getWidth() : im.getHeight();
            thick = Math.max(thick, across ? im.getHeight() : im.getWidth());
        }
        BufferedImage out = across ? new BufferedImage(along, thick, BufferedImage.TYPE_INT_RGB)
                : new BufferedImage(thick, along, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = whiteCanvas(out);
        int at = 0;
        for (BufferedImage im : images) {
            g.drawImage(im, across ? at : 0, across ? 0 : at, null);
            at += across ? im.getWidth() : im.getHeight();
        }
        g.dispose();
        return out;
    }

    /**
     * A heat map of a {@code rows × cols} matrix (row-major), at most {@code maxSide} pixels a side (cells are
     * averaged into pixels when the matrix is larger), with a title and the value range, colour scale from dark
     * (min) to bright (max). With {@code logScale} values are shown as log10(v + tiny), for plans whose mass sits on
     * a thin band.
     */
    public static BufferedImage heatmap(String title, double[] m, int rows, int cols, int maxSide, boolean logScale) {
        int ph = Math.min(rows, maxSide);
        int pw = Math.min(cols, maxSide);
        // cells per pixel; small matrices get enlarged blocks
        int scale = Math.max(1, Math.min(maxSide / Math.max(rows, 1), maxSide / Math.max(cols, 1)));
        double[] px = new double[ph * pw];
        int[] count = new int[ph * pw];
        for (int i = 0; i < rows; i++) {
            int r = (int) ((long) i * ph / rows);
            for (int j = 0; j < cols; j++) {
                int c = (int) ((long) j * pw / cols);
                px[r * pw + c] += m[i * cols + j];
                count[r * pw + c]++;
            }
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double rawLo = Double.POSITIVE_INFINITY;
        double rawHi = Double.NEGATIVE_INFINITY;
        double tiny = 0;
        if (logScale) {
            double maxAbs = 0;
            for (double v : m) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            tiny = maxAbs * 1e-6 + Double.MIN_NORMAL;
        }
        for (int t = 0; t < px.length; t++) {
            px[t] /= Math.max(1, count[t]);
            rawLo = Math.min(rawLo, px[t]);
            rawHi = Math.max(rawHi, px[t]);
            if (logScale) {
                px[t] = Math.log10(Math.max(px[t], 0) + tiny);
            }
            lo = Math.min(lo, px[t]);
            hi = Math.max(hi, px[t]);
        }
        int margin = 10;
        int top = 40;
        int bottom = 30;
        int w = pw * scale + 2 * margin;
        int h = ph * scale + top + bottom;
        BufferedImage out = new BufferedImage(Math.max(w, 320), h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), h);
        // straight into the image's pixels: a Graphics2D fill per cell cost ~1 µs, a quarter of a second for a
        // 500 × 500 map (of the 0.4 s `gw` took to write its three maps)
        int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int stride = out.getWidth();
        for (int r = 0; r < ph; r++) {
            for (int c = 0; c < pw; c++) {
                double v = hi > lo ? (px[r * pw + c] - lo) / (hi - lo) : 0.5;
                int rgb = viridis(v).getRGB() & 0xFFFFFF;
                for (int y = top + r * scale; y < top + (r + 1) * scale; y++) {
                    Arrays.fill(pixels, y * stride + margin + c * scale, y * stride + margin + (c + 1) * scale, rgb);
                }
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(margin - 1, top - 1, pw * scale + 1, ph * scale + 1);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, margin, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(rows + " x " + cols + (rows > ph || cols > pw ? " (averaged to " + ph + " x " + pw + " px)" : ""),
                margin, 33);
        g.drawString(String.format("min %.3g  max %.3g%s", rawLo, rawHi, logScale ? "  (log colour scale)" : ""),
                margin, top + ph * scale + 20);
        g.dispose();
        return out;
    }

    /**
     * A fixed orthographic camera looking at the origin from the direction {@code (cos el cos az, cos el sin az,
     * sin el)}: azimuth measured in the x-y plane from +x towards +y, elevation above that plane, in degrees;
     * screen right is {@code (−sin az, cos az, 0)} and screen up completes the frame (+z appears upwards).
     */
    record Camera(double azimuthDegrees, double elevationDegrees) {
        /** Screen x, screen y (up) and depth (towards the viewer) of a point. */
        double[] project(double x, double y, double z) {
            double az = Math.toRadians(azimuthDegrees);
            double el = Math.toRadians(elevationDegrees);
            double[] d = {Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)};
            double[] right = {-Math.sin(az), Math.cos(az), 0};
            double[] up = {-Math.sin(el) * Math.cos(az), -Math.sin(el) * Math.sin(az), Math.cos(el)};
            return new double[] {right[0] * x + right[1] * y + right[2] * z, up[0] * x + up[1] * y + up[2] * z,
                d[0] * x + d[1] * y + d[2] * z};
        }

        /** Whether a surface normal faces the viewer. */
        boolean facing(double nx, double ny, double nz) {
            return project(nx, ny, nz)[2] >= 0;
        }

        String describe() {
            return String.format("view from azimuth %.0f deg, elevation %.0f deg (orthographic)", azimuthDegrees,
                    elevationDegrees);
        }
    }

    /**
     * A point of a 3D scene: position, outward normal (points whose normal faces away are on the hidden side and are
     * drawn small and pale), colour and radius in pixels.
     */
    record Point3(double x, double y, double z, double nx, double ny, double nz, Color colour, double radius) {
    }

    /**
     * Draws a 3D point scene with an orthographic {@link Camera}, far points first (painter's algorithm), hidden-side
     * points pale and at half size, with a title, a caption line under it and an optional legend of named colours.
     */
    static BufferedImage render3d(String title, String caption, List<Point3> points, Camera camera, int width,
            int height, List<String> legendNames, List<Color> legendColours) {
        int n = points.size();
        double[][] p = new double[n][];
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            Point3 q = points.get(i);
            p[i] = camera.project(q.x(), q.y(), q.z());
            minX = Math.min(minX, p[i][0]);
            maxX = Math.max(maxX, p[i][0]);
            minY = Math.min(minY, p[i][1]);
            maxY = Math.max(maxY, p[i][1]);
        }
        int top = 48;
        int bottom = legendNames.isEmpty() ? 14 : 34;
        int margin = 14;
        double span = Math.max(maxX - minX, maxY - minY);
        double scale = span > 0 ? Math.min((width - 2.0 * margin) / Math.max(maxX - minX, 1e-12 * span),
                (height - top - bottom - 0.0) / Math.max(maxY - minY, 1e-12 * span)) : 1;
        double cx = 0.5 * (minX + maxX);
        double cy = 0.5 * (minY + maxY);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[a][2], p[b][2]));
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = whiteCanvas(out);
        double midY = top + 0.5 * (height - top - bottom);
        for (int i : order) {
            Point3 q = points.get(i);
            boolean front = camera.facing(q.nx(), q.ny(), q.nz());
            double r = front ? q.radius() : 0.5 * q.radius();
            Color c = front ? q.colour() : blend(q.colour(), Color.WHITE, 0.7);
            double sx = 0.5 * width + (p[i][0] - cx) * scale;
            double sy = midY - (p[i][1] - cy) * scale;
            g.setColor(c);
            g.fill(new java.awt.geom.Ellipse2D.Double(sx - r, sy - r, 2 * r, 2 * r));
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, margin, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(caption, margin, 34);
        int x = margin;
        for (int k = 0; k < legendNames.size(); k++) {
            g.setColor(legendColours.get(k));
            g.fillRect(x, height - 22, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(legendNames.get(k), x + 13, height - 13);
            x += 18 + g.getFontMetrics().stringWidth(legendNames.get(k));
        }
        g.dispose();
        return out;
    }

    /**
     * The points of a measure on a surface in R³ for {@link #render3d}: every point drawn as a small grey dot (so the
     * surface shows), points with mass ≥ {@link #MASS_THRESHOLD} coloured by mass like {@link #massPlot} with a radius
     * growing with the square root of the mass (area ∝ mass).
     *
     * @param xyz     n × 3 positions
     * @param normals n × 3 outward normals
     */
    static List<Point3> massPoints(DMatrixRMaj xyz, DMatrixRMaj normals, double[] mass) {
        double max = 0;
        for (double m : mass) {
            max = Math.max(max, m);
        }
        List<Point3> pts = new ArrayList<>();
        for (int i = 0; i < mass.length; i++) {
            boolean carries = mass[i] >= MASS_THRESHOLD && max > 0;
            double f = carries ? mass[i] / max : 0;
            Color c = carries ? ramp(Math.min(1, (Math.floor(f * MASS_BINS) + 1) / MASS_BINS)) : new Color(200, 200,
                    200);
            double r = carries ? 1.5 + 5.5 * Math.sqrt(f) : 1.0;
            pts.add(new Point3(xyz.get(i, 0), xyz.get(i, 1), xyz.get(i, 2), normals.get(i, 0), normals.get(i, 1),
                    normals.get(i, 2), c, r));
        }
        return pts;
    }

    /** The points of a labelled point set for {@link #render3d}, coloured by class. */
    static List<Point3> labelPoints(DMatrixRMaj xyz, DMatrixRMaj normals, int[] classes, double radius) {
        List<Point3> pts = new ArrayList<>();
        for (int i = 0; i < classes.length; i++) {
            pts.add(new Point3(xyz.get(i, 0), xyz.get(i, 1), xyz.get(i, 2), normals.get(i, 0), normals.get(i, 1),
                    normals.get(i, 2), categorical(classes[i]), radius));
        }
        return pts;
    }

    /** The categorical colours of classes {@code 0..count-1}, for legends. */
    static List<Color> categoricalColours(int count) {
        List<Color> c = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            c.add(categorical(k));
        }
        return c;
    }

    /**
     * A line chart with markers: one series per entry of {@code series} (name → y values at {@code x}).
     */
    static BufferedImage lineChart(String title, double[] x, Map<String, double[]> series, String xName, String yName,
            int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xName)
                .yAxisTitle(yName).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setAntiAlias(true);
        int k = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), x, e.getValue());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(k == 0 ? Color.BLACK : categorical(k - 1));
            s.setMarkerColor(k == 0 ? Color.BLACK : categorical(k - 1));
            k++;
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static Color blend(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() * (1 - t) + b.getRed() * t),
                (int) Math.round(a.getGreen() * (1 - t) + b.getGreen() * t),
                (int) Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
    }

    /** A graphics context on {@code image}, filled white, with antialiased shapes and text. */
    static Graphics2D whiteCanvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        return g;
    }

    /** Reads a PNG written before. */
    static BufferedImage read(Path file) {
        try {
            BufferedImage im = ImageIO.read(file.toFile());
            if (im == null) {
                throw new IllegalStateException(file + " is not an image");
            }
            return im;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a PNG (atomically: {@link AtomicFiles}). */
    public static void write(BufferedImage image, Path file) {
        try {
            AtomicFiles.write(file, out -> {
                // no disk cache: its temporary file registers a shutdown hook, refused while an interrupted run
                // writes its last outputs (and the PNGs are small)
                ImageIO.setUseCache(false);
                if (!ImageIO.write(image, "png", out)) {
                    throw new IllegalStateException("no PNG writer available");
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The mass colours: cividis reversed, yellow (t = 0, little mass) to dark blue (t = 1, the most). Cividis is
     * designed to read the same with red-green colour blindness and to be monotone in lightness, so the darkest
     * points carry the most mass also in greyscale (the old yellow-to-red ramp relied on red).
     */
    private static Color ramp(double t) {
        return cividis(1 - t);
    }

    /** An approximation of matplotlib's cividis (Nuñez, Anderton and Renslow 2018). */
    static Color cividis(double t) {
        double[][] stops = {
            {0.000, 0.135, 0.304}, {0.122, 0.213, 0.425}, {0.255, 0.292, 0.428}, {0.361, 0.373, 0.430},
            {0.452, 0.452, 0.451}, {0.547, 0.532, 0.472}, {0.649, 0.616, 0.459}, {0.754, 0.704, 0.420},
            {0.866, 0.797, 0.354}, {0.995, 0.909, 0.217}};
        return interpolate(stops, t);
    }

    /** An approximation of matplotlib's viridis. */
    static Color viridis(double t) {
        double[][] stops = {
            {0.267, 0.005, 0.329}, {0.283, 0.141, 0.458}, {0.254, 0.265, 0.530}, {0.207, 0.372, 0.553},
            {0.164, 0.471, 0.558}, {0.128, 0.567, 0.551}, {0.135, 0.659, 0.518}, {0.267, 0.749, 0.441},
            {0.478, 0.821, 0.318}, {0.741, 0.873, 0.150}, {0.993, 0.906, 0.144}};
        return interpolate(stops, t);
    }

    /** Ordered values (a generator parameter): viridis, colour-blind safe (it replaced a red-green spectral map). */
    private static Color spectral(double t) {
        return viridis(t);
    }

    private static Color interpolate(double[][] stops, double t) {
        t = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t));
        double pos = t * (stops.length - 1);
        int a = Math.min(stops.length - 2, (int) Math.floor(pos));
        double f = pos - a;
        float[] c = new float[3];
        for (int k = 0; k < 3; k++) {
            c[k] = (float) (stops[a][k] * (1 - f) + stops[a + 1][k] * f);
        }
        return new Color(c[0], c[1], c[2]);
    }

    /** Tableau-like categorical colours. */
    private static Color categorical(int c) {
        Color[] palette = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
        return palette[Math.floorMod(c, palette.length)];
    }

    private static double[] pick(double[] v, List<Integer> idx) {
        double[] out = new double[idx.size()];
        for (int t = 0; t < out.length; t++) {
            out[t] = v[idx.get(t)];
        }
        return out;
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : v) {
            m = Math.min(m, d);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            m = Math.max(m, d);
        }
        return m;
    }
}
