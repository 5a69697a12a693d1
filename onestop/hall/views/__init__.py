"""The hall's pages: the ticket kiosk, the call board, the window console and the phone
status page. Each view parses, calls one service or selector, renders."""
