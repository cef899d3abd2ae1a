"""Qt's numbers for the few enum values the modules on the way to the first paint use.

Looking up one member of a PySide6 enum class builds the whole class, and looking up `Qt`
builds the QtCore namespace's hundred or so enums (ARCHITECTURE.md, "Start-up tricks", has
what that costs). These values are part of Qt's stable API; tests/test_startup.py checks
every one against Qt's own enum. Code that runs after the first paint names the enums.
"""

# Qt.ItemDataRole
DISPLAY_ROLE = 0
TOOLTIP_ROLE = 3
FONT_ROLE = 6
ACCESSIBLE_TEXT_ROLE = 11
USER_ROLE = 256

# Qt.AlignmentFlag.AlignCenter (AlignHCenter | AlignVCenter)
ALIGN_CENTER = 0x84

# QTextFormat.ObjectTypes.ImageObject, QTextFormat.Property.ImageWidth / ImageHeight
IMAGE_OBJECT = 1
IMAGE_WIDTH = 0x5010
IMAGE_HEIGHT = 0x5011

# QTextDocument.ResourceType.ImageResource
IMAGE_RESOURCE = 2
