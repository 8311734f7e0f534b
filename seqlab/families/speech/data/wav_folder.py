"""A user's own recordings: a folder with one subfolder of WAV clips per word.

    my_words/yes/001.wav, my_words/yes/002.wav, my_words/no/001.wav, ...
    my_words/_background_noise_/kitchen.wav      (or _silence_/: the background class)

Each file becomes one 1-s clip at 16 kHz: other sample rates are resampled, stereo is
downmixed, longer recordings keep their loudest second, shorter ones are centred in
silence. Long background recordings are cut into several 1-s clips. Nothing in the folder
stops the import: unreadable, empty, silent or non-WAV files are skipped and listed by name
in the report, clipped files are used and listed as warnings. Only when no usable clip
remains is an error raised, naming the folder and what was wrong.

The split is decided per file by a hash of its path (as Google Speech Commands does), so
adding or removing a file never moves the others between training, validation and test.
A file name containing ``_nohash_`` is hashed on the part before it, which keeps one
speaker's takes (``alice_nohash_0.wav``, ``alice_nohash_1.wav``) in the same split.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from seqlab.audio.resample import resample
from seqlab.audio.wavfile import WavError, read_wav_details, write_wav

from .clip_fit import CLIP_SAMPLES, SAMPLE_RATE, fit_to_window

SILENCE = "_silence_"
BACKGROUND_FOLDERS = ("_background_noise_", "_silence_")
SPLITS = ("train", "val", "test")
MIN_CLIPS_PER_LABEL = 3
CLIP_WARN_FRACTION = 0.001        # 0.1 % of samples at full scale is audible distortion
_SILENT_PEAK = 1e-4               # quieter than this is an empty recording, not a word
_BAD_LABEL_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


class WavFolderError(ValueError):
    """The folder gave no usable clip; the message names it and says why."""


@dataclass
class ImportReport:
    """What happened to each file: skipped files with the reason, warnings and conversions."""

    folder: str
    skipped: list[tuple[str, str]] = field(default_factory=list)    # (path relative to folder, reason)
    warnings: list[str] = field(default_factory=list)
    converted: list[tuple[str, str]] = field(default_factory=list)  # (path, what was done)
    files_read: int = 0

    def summary(self) -> str:
        """A few lines for the user: counts, then every skipped file and warning."""
        lines = [f"{self.folder}: {self.files_read} files read, {len(self.skipped)} skipped, "
                 f"{len(self.warnings)} warnings"]
        lines += [f"  skipped {p}: {why}" for p, why in self.skipped]
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


@dataclass(frozen=True)
class WavFolderData:
    """Every usable clip of the folder, with its split; :meth:`subset` picks one split."""

    clips: np.ndarray             # float32 [n, 16000]
    labels: np.ndarray            # int64 [n], index into class_names
    class_names: tuple[str, ...]  # the subfolder names, sorted; "_silence_" last when present
    files: tuple[str, ...]        # path of each clip relative to the folder ("#k" for the k-th second of a long noise file)
    split: np.ndarray             # "<U5" [n]: "train", "val" or "test"
    report: ImportReport
    sample_rate: int = SAMPLE_RATE

    def subset(self, split: str) -> "WavFolderData":
        if split not in SPLITS:
            raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
        keep = self.split == split
        return WavFolderData(self.clips[keep], self.labels[keep], self.class_names,
                             tuple(f for f, k in zip(self.files, keep) if k), self.split[keep], self.report)


def hash_split(name: str, val_fraction: float, test_fraction: float) -> str:
    """The split of a file from a stable hash of its relative path (see the module docstring)."""
    base = name.rsplit("/", 1)
    stem = base[-1].split("_nohash_")[0] if "_nohash_" in base[-1] else base[-1]
    key = (base[0] + "/" + stem) if len(base) == 2 else stem
    u = int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:8], "big") / 2.0 ** 64
    return "test" if u < test_fraction else "val" if u < test_fraction + val_fraction else "train"


def import_wav_folder(folder: str | Path, val_fraction: float = 0.1, test_fraction: float = 0.1) -> WavFolderData:
    """Import every WAV clip under ``folder/<label>/``; never fails on a single bad file.

    Raises :class:`WavFolderError` when the folder does not exist or nothing usable is in it.
    """
    if not (0 <= val_fraction < 1 and 0 <= test_fraction < 1 and val_fraction + test_fraction < 1):
        raise ValueError(f"val_fraction ({val_fraction}) and test_fraction ({test_fraction}) must be "
                         f"in [0, 1) and leave room for training")
    root = Path(folder)
    report = ImportReport(folder=str(root))
    if not root.is_dir():
        raise WavFolderError(f"{root}: {'is not a folder' if root.exists() else 'no such folder'}")
    clips, names, label_of = [], [], []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue                                   # .DS_Store, .git and the like are not the user's data
        if entry.is_file():
            report.skipped.append((entry.name, "not inside a label folder (put it in a folder named after its word)"))
            continue
        if not entry.is_dir():
            continue
        label = SILENCE if entry.name in BACKGROUND_FOLDERS else entry.name
        for path in sorted(p for p in entry.rglob("*") if p.is_file() and not p.name.startswith(".")):
            rel = path.relative_to(root).as_posix()
            report.files_read += 1
            for name, clip in _clips_of_file(path, rel, label == SILENCE, report):
                clips.append(clip)
                names.append(name)
                label_of.append(label)
    if not clips:
        raise WavFolderError(_nothing_usable(root, report))

    class_names = tuple(sorted(set(label_of) - {SILENCE})) + ((SILENCE,) if SILENCE in label_of else ())
    labels = np.array([class_names.index(lab) for lab in label_of], dtype=np.int64)
    split = np.array([hash_split(n.split("#")[0], val_fraction, test_fraction) for n in names], dtype="<U5")
    _ensure_training_clip(labels, split, names, class_names, report)
    counts = np.bincount(labels, minlength=len(class_names))
    for name, c in zip(class_names, counts):
        if c < MIN_CLIPS_PER_LABEL:
            report.warnings.append(f"label '{name}' has only {c} clip{'s' if c != 1 else ''}; record at least "
                                   f"{MIN_CLIPS_PER_LABEL} (ideally 10 or more) so it can be learned and tested")
    if len(class_names) < 2:
        report.warnings.append(f"only one label ('{class_names[0]}'): a recogniser needs at least two")
    return WavFolderData(np.stack(clips), labels, class_names, tuple(names), split, report)


def _clips_of_file(path: Path, rel: str, background: bool, report: ImportReport) -> list[tuple[str, np.ndarray]]:
    try:
        audio = read_wav_details(path)
    except WavError as e:
        # The message starts with the absolute path; the report already names the file.
        report.skipped.append((rel, str(e).split(": ", 1)[-1]))
        return []
    x = audio.samples
    done = []
    if audio.channels > 1:
        done.append(f"{audio.channels} channels mixed to mono")
    if audio.sample_rate != SAMPLE_RATE:
        x = resample(x, audio.sample_rate, SAMPLE_RATE)
        done.append(f"resampled from {audio.sample_rate} Hz")
    if x.size == 0 or float(np.abs(x).max()) < _SILENT_PEAK:
        if not background:
            report.skipped.append((rel, "silent: it holds no sound"))
            return []
    if audio.clipped_fraction >= CLIP_WARN_FRACTION:
        report.warnings.append(f"{rel} is clipped ({100 * audio.clipped_fraction:.1f}% of samples at full scale): "
                               f"used, but record it again more quietly if the word sounds distorted")
    if background and x.size > CLIP_SAMPLES:
        # A long background recording gives one clip per whole second.
        pieces = [(f"{rel}#{k}", x[k * CLIP_SAMPLES:(k + 1) * CLIP_SAMPLES].copy())
                  for k in range(x.size // CLIP_SAMPLES)]
        done.append(f"cut into {len(pieces)} one-second clips")
    else:
        if x.size > CLIP_SAMPLES:
            done.append(f"{x.size / SAMPLE_RATE:.2f} s long: kept its loudest second")
        elif x.size < CLIP_SAMPLES:
            done.append(f"{x.size / SAMPLE_RATE:.2f} s long: padded to 1 s")
        pieces = [(rel, fit_to_window(x, CLIP_SAMPLES))]
    if done:
        report.converted.append((rel, "; ".join(done)))
    return pieces


def _ensure_training_clip(labels: np.ndarray, split: np.ndarray, names: list[str], class_names: tuple[str, ...],
                          report: ImportReport) -> None:
    # A label the model never trains on cannot be recognised; move its first file (by name, so the
    # choice is stable) into training.
    for k, name in enumerate(class_names):
        idx = np.flatnonzero(labels == k)
        if idx.size and not np.any(split[idx] == "train"):
            first = min(idx, key=lambda i: names[i])
            split[first] = "train"
            report.warnings.append(f"label '{name}' had no training clip; {names[first]} moved into training")


def _nothing_usable(root: Path, report: ImportReport) -> str:
    if report.files_read == 0 and not report.skipped:
        return (f"{root}: no clips found: make one subfolder per word (for example {root / 'yes'}) "
                f"holding WAV files")
    if report.files_read == 0:
        return (f"{root}: no clips found in label subfolders; "
                + "; ".join(f"{p}: {why}" for p, why in report.skipped[:5]))
    shown = "; ".join(f"{p}: {why}" for p, why in report.skipped[:5])
    more = f" (and {len(report.skipped) - 5} more)" if len(report.skipped) > 5 else ""
    return f"{root}: none of the {report.files_read} files could be used: {shown}{more}"


def save_clip(folder: str | Path, label: str, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> Path:
    """Write ``samples`` as the next numbered WAV of ``label`` (``folder/label/007.wav``), atomically.

    Returns the new file's path. The label must be usable as a folder name.
    """
    if not label or label.strip() != label or label in (".", "..") or _BAD_LABEL_CHARS.search(label):
        raise ValueError(f"label {label!r} cannot be a folder name: use letters, digits, '-' or '_'")
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"a recording for '{label}' must be a non-empty 1-D array, got shape {x.shape}")
    target = Path(folder) / label
    target.mkdir(parents=True, exist_ok=True)
    numbers = [int(p.stem) for p in target.glob("*.wav") if p.stem.isdigit()]
    number = max(numbers, default=0) + 1
    path = target / f"{number:03d}.wav"
    while path.exists():                               # e.g. "001.WAV" on a case-insensitive disk
        number += 1
        path = target / f"{number:03d}.wav"
    write_wav(path, x, sample_rate)
    return path
