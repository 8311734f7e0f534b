"""seqlab.core and seqlab.audio never import Qt: the engine runs headless and tests without a screen."""

import subprocess
import sys


def test_core_and_audio_import_without_qt():
    code = ("import sys, seqlab.core.spec, seqlab.core.engine, seqlab.core.experiment_run, seqlab.families.recurrent.probes, "
            "seqlab.families.recurrent.data, seqlab.core.run_folder, seqlab.audio, seqlab.cli\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6', 'superqt', 'qtpy')]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"Qt modules imported by the core: {out.stdout}"


def test_spec_and_datasets_do_not_import_torch():
    # The window builds specs and previews data before torch has loaded (start-up time).
    code = ("import sys, seqlab.core.spec, seqlab.families.recurrent.data\n"
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
