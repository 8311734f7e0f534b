"""The families' data modules stay numpy-only: no torch, no Qt, no scikit-learn at run time."""

import subprocess
import sys


def test_data_modules_import_neither_torch_nor_qt_nor_sklearn():
    code = ("import sys\n"
            "import seqlab.families.autoencoder.data.digits, seqlab.families.autoencoder.data.heartbeat\n"
            "import seqlab.families.autoencoder.data.feature_csv, seqlab.families.gan.data.toy2d\n"
            "from seqlab.families.autoencoder.data.digits import load_digits\n"
            "load_digits('8x8'); load_digits('28x28')\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in\n"
            "       ('torch', 'PySide6', 'pyqtgraph', 'shiboken6', 'superqt', 'sklearn', 'scipy')]\n"
            "print(','.join(sorted(set(m.split('.')[0] for m in bad))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"heavy modules imported: {out.stdout}"
