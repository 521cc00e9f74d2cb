"""Reads a diff2d run directory's field files with the tools users use and checks them.

    /usr/bin/python3 check_field_files.py RUN_DIR [--killed]

Every .vti (VTK's vtkXMLImageDataReader) and .h5 (h5py, and xarray through h5netcdf with
phony_dims) must hold, bit for bit, the float64 values of the .npy of the same name; the .h5
the grid's coordinates, the simulated time and the parameters; field.pvd every .vti with its
simulated time, in time order. With --killed (a run stopped by SIGKILL) the run may have no
final field and no summary.json, and a snapshot's files may be missing from its last write on:
what is there must still be whole. Exits non-zero on the first failure, or when a tool is
missing: nothing is skipped.
"""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET

import h5py
import numpy as np
import vtk
import xarray as xr
from vtk.util.numpy_support import vtk_to_numpy


def fail(message):
    sys.exit(f"check_field_files: {message}")


def same_bits(name, got, expected):
    if got.dtype != np.float64 or got.shape != expected.shape:
        fail(f"{name}: {got.dtype} {got.shape}, expected float64 {expected.shape}")
    if not np.array_equal(got.view(np.uint64), expected.view(np.uint64)):
        fail(f"{name}: values differ from the .npy bit for bit")


def course_points(n, lower, upper):
    # as the course computes them: lower + ((k)*(upper-lower))/n, in float64
    return np.array([lower + (k * (upper - lower)) / n for k in range(n)], dtype=np.float64)


def read_vti(path):
    reader = vtk.vtkXMLImageDataReader()
    reader.SetFileName(path)
    reader.Update()
    image = reader.GetOutput()
    if image is None or image.GetPointData().GetArray("density") is None:
        fail(f"{path}: vtkXMLImageDataReader found no point data 'density'")
    return image


def check_vti(path, expected, x, y, time, step):
    image = read_vti(path)
    rows, cols = expected.shape
    if image.GetDimensions() != (cols, rows, 1):
        fail(f"{path}: dimensions {image.GetDimensions()}, expected {(cols, rows, 1)}")
    values = vtk_to_numpy(image.GetPointData().GetArray("density"))
    same_bits(path, values.reshape(rows, cols), expected)
    field_time = image.GetFieldData().GetArray("TimeValue").GetValue(0)
    field_step = image.GetFieldData().GetArray("step").GetValue(0)
    if time is not None and (field_time != time or field_step != step):
        fail(f"{path}: TimeValue {field_time}, step {field_step}; the .h5 says {time}, {step}")
    # VTK's X is x (the array's rows), Y is y (its columns), in the problem's units
    for r, c in [(0, 0), (rows - 1, 0), (0, cols - 1), (rows // 3, cols // 2)]:
        point = [0.0, 0.0, 0.0]
        image.TransformIndexToPhysicalPoint(c, r, 0, point)
        if not np.allclose(point[:2], [x[r], y[c]], rtol=0, atol=1e-12):
            fail(f"{path}: value [{r}, {c}] at {point}, expected ({x[r]}, {y[c]})")
    return field_time, field_step


def check_h5(path, expected, summary):
    rows, cols = expected.shape
    with h5py.File(path, "r") as f:
        same_bits(path, f["density"][...], expected)
        x, y = f["x"][...], f["y"][...]
        time = float(f["time"][()])
        attrs = dict(f.attrs)
    nrows = int(attrs["nrows"])
    x1, x2 = float(attrs["x1"]), float(attrs["x2"])
    same_bits(path + " x", x, course_points(nrows, x1, x2))
    same_bits(path + " y", y, course_points(nrows, x1, x2))
    if attrs["time"] != time:
        fail(f"{path}: attribute time {attrs['time']} but dataset time {time}")
    if summary is not None:
        derived = summary["derived"]
        for key in ("dx", "dt", "nsteps", "nper", "nrows", "ncols"):
            if attrs[key] != derived[key]:
                fail(f"{path}: attribute {key} = {attrs[key]}, summary.json says {derived[key]}")
        for key in ("D", "x1", "x2", "runtime", "outtime"):
            if attrs[key] != summary["parameters"][key]:
                fail(f"{path}: attribute {key} = {attrs[key]}, summary.json says {summary['parameters'][key]}")
    dataset = xr.open_dataset(path, engine="h5netcdf", phony_dims="sort")
    density = dataset.density.rename(phony_dim_0="x", phony_dim_1="y").assign_coords(
        x=dataset.x.values, y=dataset.y.values)
    same_bits(path + " (xarray)", density.values, expected)
    same_bits(path + " (xarray x)", density.x.values, x)
    if float(dataset.time) != time or int(dataset.attrs["step"]) != int(attrs["step"]):
        fail(f"{path}: xarray reads time {float(dataset.time)}, step {dataset.attrs['step']}")
    dataset.close()
    return x, y, time, int(attrs["step"])


def main():
    run = sys.argv[1]
    killed = "--killed" in sys.argv[2:]
    summary_path = os.path.join(run, "summary.json")
    summary = None
    if not killed:
        with open(summary_path) as f:
            summary = json.load(f)
    stems = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(run, "*.npy")))
    if not killed and "final" not in stems:
        fail(f"{run}: no final.npy")
    times = {}
    checked = 0
    for stem in stems:
        expected = np.load(os.path.join(run, stem + ".npy"))
        h5 = os.path.join(run, stem + ".h5")
        vti = os.path.join(run, stem + ".vti")
        if not killed or os.path.exists(h5):
            x, y, time, step = check_h5(h5, expected, summary)
            checked += 1
        else:
            x = y = course_points(expected.shape[0], -10.0, 10.0)
            time = step = None
        if not killed or os.path.exists(vti):
            times[stem + ".vti"] = check_vti(vti, expected, x, y, time, step)
            checked += 1

    collection = ET.parse(os.path.join(run, "field.pvd")).getroot()
    if collection.get("type") != "Collection":
        fail("field.pvd: not a VTK Collection")
    listed = [(d.get("file"), float(d.get("timestep"))) for d in collection.iter("DataSet")]
    if not listed:
        fail("field.pvd lists no data set")
    for name, timestep in listed:
        path = os.path.join(run, name)
        if not os.path.exists(path):
            fail(f"field.pvd lists {name}, which is not there")
        field_time, _ = times.get(name) or (read_vti(path).GetFieldData().GetArray("TimeValue").GetValue(0), 0)
        if field_time != timestep:
            fail(f"field.pvd: {name} at {timestep}, but its TimeValue is {field_time}")
    if [t for _, t in listed] != sorted(t for _, t in listed) or len({t for _, t in listed}) != len(listed):
        fail(f"field.pvd: times not strictly increasing: {listed}")
    # every snapshot on disk, in order; a killed run's last .vti may have missed its entry
    snapshots = sorted(os.path.basename(p) for p in glob.glob(os.path.join(run, "snapshot-*.vti")))
    listed_snapshots = [n for n, _ in listed if n.startswith("snapshot-")]
    whole = snapshots if not killed else snapshots[:len(listed_snapshots)]
    if listed_snapshots != whole:
        fail(f"field.pvd lists {listed}, the snapshots on disk are {snapshots}")
    if not killed:
        files = summary["files"]
        on_disk = {kind: sorted(os.path.basename(p) for p in glob.glob(os.path.join(run, "*." + ext)))
                   for kind, ext in (("npy", "npy"), ("png", "png"), ("vtk", "vti"), ("pvd", "pvd"), ("hdf5", "h5"), ("gif", "gif"))}
        for kind, names in on_disk.items():
            if sorted(files.get(kind, [])) != names:
                fail(f"summary.json files.{kind} = {files.get(kind)}, on disk {names}")
    print(f"checked {checked} field files and field.pvd ({len(listed)} data sets) in {run}")


if __name__ == "__main__":
    main()
