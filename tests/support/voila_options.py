"""Which command-line options Voila would not recognise (a typo is silently ignored)."""

from __future__ import annotations


def unknown_voila_options(args: list[str], ours: frozenset[str] = frozenset()) -> list[str]:
    """The ``--name=value`` arguments whose name no Voila class or alias knows.

    ``ours``: names of the project's own traits, checked elsewhere.
    """
    from jupyter_client.manager import KernelManager
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
    from voila.app import Voila
    from voila.configuration import VoilaConfiguration
    from voila.execute import VoilaExecutor
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    classes = {
        "Voila": Voila,
        "VoilaConfiguration": VoilaConfiguration,
        "MappingKernelManager": MappingKernelManager,
        "KernelManager": KernelManager,
        "VoilaKernelManager": voila_kernel_manager_factory(MappingKernelManager, True, 1),
        "VoilaExecutor": VoilaExecutor,
    }
    unknown = []
    for arg in args:
        name = arg[2:].split("=", 1)[0]
        if name in ours:
            continue
        if "." in name:
            cls, trait = name.split(".")
            known = cls in classes and trait in classes[cls].class_trait_names()
        else:
            known = name in Voila.aliases
        if not known:
            unknown.append(arg)
    return unknown
