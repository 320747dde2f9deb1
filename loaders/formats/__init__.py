"""One reader per format family, each ``(bytes, file name) → list of blocks`` (:mod:`loaders.blocks`):

- :mod:`~loaders.formats.text`: plain text; :mod:`~loaders.formats.web`: HTML pages;
  :mod:`~loaders.formats.mhtml`: a page saved as one file (.mht), its HTML part for the HTML reader;
- :mod:`~loaders.formats.word`: DOCX; :mod:`~loaders.formats.sheets`: XLSX, and XLS through xlrd;
- :mod:`~loaders.formats.pdf`: PDF, its text layer and its scanned pages;
- :mod:`~loaders.formats.ofd`: OFD, drawn text or scanned pages;
- :mod:`~loaders.formats.image`: PNG, JPEG, TIFF, through OCR;
- :mod:`~loaders.formats.legacy`: the OLE2 Office files (.doc/.wps/.xls/.et): their kind, and LibreOffice's
  conversion to DOCX/XLSX.

A reader imports the block model and the helpers beside it (:mod:`loaders.layout` for positioned text,
:mod:`loaders.ocr` for scans, :mod:`loaders.limits`), never another reader nor the dispatcher
(:mod:`loaders.read`), which tells the format and composes the conversions.
"""
