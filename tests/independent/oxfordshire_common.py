"""What the independent Oxfordshire scripts share: where ../shared/data is, the projection
(pyproj, EPSG:4326 -> EPSG:27700), reading a CSV there, and the libraries the study keeps."""
import csv
import os

from pyproj import Transformer

DATA = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data")
)
to_bng = Transformer.from_crs(4326, 27700, always_xy=True)


def rows(*parts):
    with open(os.path.join(DATA, *parts), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def open_libraries():
    """Static libraries not closed, as the study's filter keeps them."""
    return [
        r
        for r in rows("oxfordshire-sites", "libraries_dcms_basic_dataset_2023_oxfordshire.csv")
        if r["Type"] == "Static Library" and r["Year closed"] == ""
    ]
