"""The parameter count of an autoencoder, worked out from the spec alone (no torch), so the
Model panel can show it as the person edits. A test checks it against the built modules."""

from __future__ import annotations

from .spec import decoder_layers


def input_size(data_name: str, window: int) -> int | None:
    """Values per sample of a data set, when known without reading a file."""
    return {"digits8x8": 64, "digits28": 784}.get(data_name, window if data_name in ("heartbeat",
                                                                                       "csv-series") else None)


def parameter_count(m, input_shape: tuple[int, ...]) -> int:
    enc = [x["size"] for x in m.encoder]
    dec = [x["size"] for x in decoder_layers(m)]
    n_in = 1
    for s in input_shape:
        n_in *= s
    bn = 2 if m.batch_norm else 0
    if m.kind == "mlp":
        total, prev = 0, n_in
        for s in enc:
            total += prev * s + s + bn * s
            prev = s
        total += prev * m.latent + m.latent
        prev = m.latent
        for s in dec:
            total += prev * s + s + bn * s
            prev = s
        return total + prev * n_in + n_in
    if m.kind == "conv":
        side, cin, total = input_shape[0], 1, 0
        for c in enc:
            total += 9 * cin * c + c + bn * c
            cin, side = c, (side - 1) // 2 + 1
        total += cin * side * side * m.latent + m.latent
        total += m.latent * dec[0] * side * side + dec[0] * side * side
        for i, c in enumerate(dec):
            cout = 1 if i == len(dec) - 1 else dec[i + 1]
            total += 9 * c * cout + cout + (bn * cout if i < len(dec) - 1 else 0)
        return total
    gates = 4 if m.cell == "lstm" else 3

    def rnn(n, h):
        return gates * (n * h + h * h + 2 * h)

    total = sum(rnn(n, h) for n, h in zip([1] + enc[:-1], enc)) + enc[-1] * m.latent + m.latent
    total += sum(rnn(n, h) for n, h in zip([m.latent + 1] + dec[:-1], dec))
    return total + m.latent * dec[0] + dec[0] + dec[-1] + 1


__all__ = ["parameter_count", "input_size"]
