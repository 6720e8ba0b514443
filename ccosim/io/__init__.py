"""Files in and out of ccosim: the HRIS importer, org file formats, scenario authoring.

:mod:`~ccosim.io.hris` reads an HRIS export (CSV or XLSX) into org units, stage by stage;
:mod:`~ccosim.io.formats` writes and reads GraphML, CSV, Graphviz DOT and Mermaid;
:mod:`~ccosim.io.authoring` writes the scenario files people then edit by hand. The package
sits beside :mod:`ccosim.org`: it reads and writes the org, and org never imports it.
"""
