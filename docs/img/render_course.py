"""Renders four snapshots of a diff2d run from its .vti files with VTK, off screen.

    xvfb-run -a /usr/bin/python3 docs/img/render_course.py RUN_DIR docs/img/course-vtk.png

RUN_DIR is a run with --graphics --format vtk (field.pvd and its .vti files). Made once for
docs/formats.md; not part of the tests. Debian's python3-vtk9 renders through X, hence xvfb-run.
"""
import sys
import xml.etree.ElementTree as ET

import vtk

run, out = sys.argv[1], sys.argv[2]
datasets = [(float(d.get("timestep")), d.get("file"))
            for d in ET.parse(f"{run}/field.pvd").getroot().iter("DataSet")]
# the first, the last, and two between, by simulated time
end = datasets[-1][0]
chosen = [min(datasets, key=lambda d: abs(d[0] - t)) for t in (0.0, end / 8, end / 3, end)]

def axis(xa, ya, xb, yb, value_range, label, vertical):
    """An axis along the image's edge from (xa, ya) to (xb, yb), in the problem's units."""
    a = vtk.vtkAxisActor2D()
    a.GetPositionCoordinate().SetCoordinateSystemToWorld()
    a.GetPositionCoordinate().SetValue(xa, ya, 0)
    a.GetPosition2Coordinate().SetCoordinateSystemToWorld()
    a.GetPosition2Coordinate().SetValue(xb, yb, 0)
    a.SetRange(*value_range)
    a.SetNumberOfLabels(5)
    a.SetLabelFormat("%.0f")
    a.AdjustLabelsOff()
    a.SetTitle(label)
    a.SetFontFactor(1.2)
    a.SetTitlePosition(0.5)
    a.GetProperty().SetColor(0, 0, 0)
    for text in (a.GetTitleTextProperty(), a.GetLabelTextProperty()):
        text.SetColor(0, 0, 0)
        text.ItalicOff()
        text.ShadowOff()
        text.BoldOff()
    return a


lut = vtk.vtkLookupTable()
lut.SetHueRange(0.667, 0.0)
lut.SetTableRange(0.0, 1.0)
lut.Build()

window = vtk.vtkRenderWindow()
window.SetOffScreenRendering(1)
width = 400
window.SetSize(width * len(chosen) + 110, 460)
for k, (time, name) in enumerate(chosen):
    reader = vtk.vtkXMLImageDataReader()
    reader.SetFileName(f"{run}/{name}")
    reader.Update()
    image = reader.GetOutput()
    mapper = vtk.vtkDataSetMapper()
    mapper.SetInputData(image)
    mapper.SetLookupTable(lut)
    mapper.SetScalarRange(0.0, 1.0)
    actor = vtk.vtkActor()
    actor.SetMapper(mapper)

    (x0, x1, y0, y1, _, _) = image.GetBounds()
    axes = [axis(x0, y0, x1, y0, (x0, x1), "x", False), axis(x0, y1, x0, y0, (y1, y0), "y", True)]

    title = vtk.vtkTextActor()
    title.SetInput(f"{name}   t = {time:.3f}")
    title.GetTextProperty().SetFontSize(16)
    title.GetTextProperty().SetColor(0, 0, 0)
    title.SetPosition(60, 425)

    renderer = vtk.vtkRenderer()
    renderer.SetBackground(1, 1, 1)
    renderer.SetViewport(k * width / window.GetSize()[0], 0, (k + 1) * width / window.GetSize()[0], 1)
    renderer.AddActor(actor)
    renderer.AddViewProp(title)
    for a in axes:
        renderer.AddViewProp(a)
    renderer.ResetCamera()
    renderer.GetActiveCamera().Zoom(0.85)
    window.AddRenderer(renderer)

bar = vtk.vtkScalarBarActor()
bar.SetLookupTable(lut)
bar.SetTitle("density")
bar.SetNumberOfLabels(6)
bar.GetTitleTextProperty().SetColor(0, 0, 0)
bar.GetLabelTextProperty().SetColor(0, 0, 0)
bar.SetPosition(0.1, 0.1)
bar.SetWidth(0.6)
bar.SetHeight(0.8)
legend = vtk.vtkRenderer()
legend.SetBackground(1, 1, 1)
legend.SetViewport(width * len(chosen) / window.GetSize()[0], 0, 1, 1)
legend.AddViewProp(bar)
window.AddRenderer(legend)

window.Render()
grab = vtk.vtkWindowToImageFilter()
grab.SetInput(window)
grab.Update()
writer = vtk.vtkPNGWriter()
writer.SetFileName(out)
writer.SetInputConnection(grab.GetOutputPort())
writer.Write()
